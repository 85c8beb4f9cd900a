/*
 * aliasdb: declaring, rebuilding and reading the alias databases
 * (aliasdb.h).
 */
#include "aliases/aliasdb.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <tdb.h>
#include <time.h>
#include <unistd.h>

#include "aliases/aliasfile.h"
#include "cf/mailer.h"
#include "log/log.h"
#include "maps/map.h"
#include "maps/map_db.h"
#include "rules/parseaddr.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "version.h"
#include "util/xalloc.h"

/* the end marker newaliases stores last: "@" -> "@" */
static const char marker_key[] = "@";

/* ---- the database itself ------------------------------------------------ */

struct text_entry {
	char *key, *value;
	struct text_entry *next;
};

struct alias_db {
	struct tdb_context *tdb;
	/* the text version, read when the database file is missing */
	struct text_entry *text;
};

static TDB_DATA datum(const char *s, bool with_nul)
{
	TDB_DATA d = {(unsigned char *)s, strlen(s) + (with_nul ? 1 : 0)};
	return d;
}

/* A value with its NUL (as newaliases stores it) or without (makemap). */
static char *db_fetch_raw(struct tdb_context *tdb, const char *key)
{
	TDB_DATA v = tdb_fetch(tdb, datum(key, true));
	char *r;

	if (v.dptr == NULL)
		v = tdb_fetch(tdb, datum(key, false));
	if (v.dptr == NULL)
		return NULL;
	if (v.dsize > 0 && v.dptr[v.dsize - 1] == '\0')
		v.dsize--;
	r = xstrndup((const char *)v.dptr, v.dsize);
	free(v.dptr);
	return r;
}

static bool db_has_marker(struct tdb_context *tdb)
{
	char *v = db_fetch_raw(tdb, marker_key);
	bool ok = v != NULL;
	free(v);
	return ok;
}

struct alias_db *alias_db_open(const char *file)
{
	char *path = map_db_path(file);
	struct alias_db *db;
	struct tdb_context *tdb;

	errno = 0;
	tdb = tdb_open(path, 0, TDB_DEFAULT, O_RDONLY, 0);
	free(path);
	if (tdb == NULL) {
		if (errno == 0)
			errno = EINVAL;
		return NULL;
	}
	db = xcalloc(1, sizeof(*db));
	db->tdb = tdb;
	return db;
}

static void free_text(struct text_entry *e)
{
	while (e != NULL) {
		struct text_entry *next = e->next;
		free(e->key);
		free(e->value);
		free(e);
		e = next;
	}
}

void alias_db_close(struct alias_db *db)
{
	if (db == NULL)
		return;
	if (db->tdb != NULL)
		tdb_close(db->tdb);
	free_text(db->text);
	free(db);
}

char *alias_db_get(struct alias_db *db, const char *key)
{
	if (db->tdb != NULL)
		return db_fetch_raw(db->tdb, key);
	for (struct text_entry *e = db->text; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return xstrdup(e->value);
	return NULL;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void alias_db_list(struct alias_db *db, void (*fn)(void *arg, const char *key, const char *value),
                   void *arg)
{
	char **keys = NULL;
	size_t n = 0, cap = 0;

	if (db->tdb == NULL)
		return;
	for (TDB_DATA k = tdb_firstkey(db->tdb); k.dptr != NULL;) {
		TDB_DATA next = tdb_nextkey(db->tdb, k);
		keys = xgrow(keys, &cap, n + 1, sizeof(*keys));
		keys[n++] = xstrndup((const char *)k.dptr, k.dsize);
		free(k.dptr);
		k = next;
	}
	qsort(keys, n, sizeof(*keys), compare_strings);
	for (size_t i = 0; i < n; i++) {
		char *v = db_fetch_raw(db->tdb, keys[i]);
		if (v != NULL)
			fn(arg, keys[i], v);
		free(v);
		free(keys[i]);
	}
	free(keys);
}

/* ---- the aliases text format -------------------------------------------- */

struct alias_stats {
	long count, longest, total;
};

/* Where parsed entries go: a database being built, or memory. */
struct alias_sink {
	bool (*exists)(void *arg, const char *key);
	bool (*store)(void *arg, const char *key, const char *value);
	void *arg;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * One entry "name: value".  The name is parsed as an address up to the
 * colon and must be local; the key is its user part in lower case.
 * Returns false after printing sendmail's message for a bad entry.
 */
static bool parse_entry(struct cf *cf, char *text, char **key, char **value, char **name)
{
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {cf, &cf->macros, &pool, false, NULL};
	struct address a;
	const char *end;
	char *v;
	size_t n;
	bool parsed = parse_address(&ctx, text, RF_ALIASNAME, ':', &end, &a);

	if (!parsed || a.mailer == NULL || a.state == ADDR_BADADDR || a.user == NULL) {
		addr_usrerr(cf, text, "illegal alias name");
		pool_release(&pool);
		return false;
	}
	if (*end != ':') {
		cf_message(cf, 0, "missing colon");
		pool_release(&pool);
		return false;
	}
	for (n = (size_t)(end - text); n > 0 && is_blank(text[n - 1]); n--)
		;
	*name = xstrndup(text, n);
	if (a.mailer != cf->local_mailer) {
		addr_usrerr(cf, *name, "cannot alias non-local names");
		free(*name);
		pool_release(&pool);
		return false;
	}
	for (v = (char *)end + 1; is_blank(*v); v++)
		;
	if (*v == '\0') {
		addr_usrerr(cf, text, "missing value for alias");
		free(*name);
		pool_release(&pool);
		return false;
	}
	*key = xstrdup(a.user);
	for (char *p = *key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*value = v;
	pool_release(&pool);
	return true;
}

/* Store one good entry, with the duplicate warning and the statistics. */
static bool store_entry(struct cf *cf, const struct alias_sink *sink, const char *name,
                        const char *key, const char *value, struct alias_stats *st)
{
	long vlen = (long)strlen(value);

	if (sink->exists(sink->arg, key)) {
		struct strbuf sb = STRBUF_INIT;
		sb_printf(&sb, "Warning: duplicate alias name %s", key);
		addr_usrerr(cf, name, sb_str(&sb));
		sb_free(&sb);
	}
	if (!sink->store(sink->arg, key, value))
		return false;
	st->count++;
	st->total += (long)strlen(key) + vlen;
	if (vlen > st->longest)
		st->longest = vlen;
	return true;
}

/*
 * Read an aliases file into `sink`.  Messages carry "NAME: line N: ".
 * Returns the number of bad entries, or -1 when the sink failed.
 */
static int read_aliases(struct cf *cf, const char *name, FILE *f, const struct alias_sink *sink,
                        struct alias_stats *st)
{
	const char *old_file = cf->input_file;
	int old_line = cf->input_line;
	struct alias_reader r;
	struct strbuf entry = STRBUF_INIT;
	enum alias_item item;
	int bad = 0, line = 0;

	alias_reader_init(&r, f);
	cf->input_file = name;
	while ((item = alias_reader_next(&r, &entry, &line)) != ALIAS_EOF) {
		char *key, *value, *shown;

		cf->input_line = line;
		if (item == ALIAS_LEADING_SPACE) {
			cf_message(cf, 0, "Non-continuation line starts with space");
			bad++;
			continue;
		}
		if (item == ALIAS_TOO_LONG) {
			cf_message(cf, 0, "alias line too long");
			bad++;
			continue;
		}
		if (!parse_entry(cf, entry.s, &key, &value, &shown)) {
			bad++;
			continue;
		}
		if (!store_entry(cf, sink, shown, key, value, st))
			bad = -1;
		free(key);
		free(shown);
		if (bad < 0)
			break;
	}
	cf->input_file = old_file;
	cf->input_line = old_line;
	sb_free(&entry);
	alias_reader_free(&r);
	return bad;
}

static void print_stats(struct cf *cf, const char *file, const struct alias_stats *st)
{
	fprintf(cf->out, "%s: %ld aliases, longest %ld bytes, %ld bytes total\n", file, st->count,
	        st->longest, st->total);
}

/* ---- sinks ---------------------------------------------------------------- */

static bool tdb_sink_exists(void *arg, const char *key)
{
	return tdb_exists(arg, datum(key, true));
}

static bool tdb_sink_store(void *arg, const char *key, const char *value)
{
	return tdb_store(arg, datum(key, true), datum(value, true), TDB_REPLACE) == 0;
}

static bool text_sink_exists(void *arg, const char *key)
{
	for (struct text_entry *e = ((struct alias_db *)arg)->text; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return true;
	return false;
}

static bool text_sink_store(void *arg, const char *key, const char *value)
{
	struct alias_db *db = arg;
	struct text_entry *e;

	for (e = db->text; e; e = e->next)
		if (strcmp(e->key, key) == 0) {
			free(e->value);
			e->value = xstrdup(value);
			return true;
		}
	e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	e->next = db->text;
	db->text = e;
	return true;
}

/* ---- the maps --------------------------------------------------------------- */

static bool class_is_db(const char *name)
{
	return strcmp(name, "implicit") == 0 || strcmp(name, "hash") == 0 ||
	       strcmp(name, "btree") == 0 || strcmp(name, "dbm") == 0;
}

static bool alias_class_open(struct cf *cf, struct map *m);
static char *alias_class_lookup(struct cf *cf, struct macro_env *env, struct map *m,
                                const char *key, char **args, int *status, struct pool *pool);
static void alias_class_close(struct map *m);

/* The database classes of alias maps: tdb, or the text version. */
static const struct map_class alias_db_class = {
    "implicit", true, NULL, alias_class_open, alias_class_lookup, alias_class_close};

bool alias_map_is_db(const struct map *m)
{
	return m->mclass == &alias_db_class;
}

struct map *alias_map(const struct cf *cf, int i)
{
	char name[32];
	struct map *m;

	snprintf(name, sizeof(name), "Alias%d", i);
	m = map_find(cf, name);
	return m != NULL && (m->flags & MF_ALIAS) ? m : NULL;
}

/* One AliasFile spec: "FILE" or "CLASS:FILE". */
static bool declare_alias_map(struct cf *cf, int i, const char *spec)
{
	const char *colon = strchr(spec, ':');
	const char *slash = strchr(spec, '/');
	char *cls, name[32];
	const char *file = spec;
	struct map *m;

	if (colon != NULL && (slash == NULL || colon < slash)) {
		cls = xstrndup(spec, (size_t)(colon - spec));
		file = colon + 1;
	} else {
		cls = xstrdup("implicit");
	}
	if (!class_is_db(cls) && strcmp(cls, "text") != 0) {
		cf_message(cf, EX_SOFTWARE, "setalias: unknown alias class %s", cls);
		free(cls);
		return false;
	}
	snprintf(name, sizeof(name), "Alias%d", i);
	m = map_define(cf, name, class_is_db(cls) ? "implicit" : cls, file);
	if (m != NULL) {
		free(m->class_name);
		m->class_name = cls;
		if (class_is_db(cls))
			m->mclass = &alias_db_class;
		m->flags |= MF_ALIAS;
	} else {
		free(cls);
	}
	return m != NULL;
}

void alias_for_each_spec(const char *list, void (*fn)(void *arg, const char *spec), void *arg)
{
	char *copy = xstrdup(list), *save = NULL;

	for (char *w = strtok_r(copy, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
		char *end;
		while (is_blank(*w))
			w++;
		for (end = w + strlen(w); end > w && is_blank(end[-1]); end--)
			end[-1] = '\0';
		if (*w != '\0')
			fn(arg, w);
	}
	free(copy);
}

struct setup_state {
	struct cf *cf;
	struct strbuf seq;
	int n;
};

static void setup_one(void *arg, const char *spec)
{
	struct setup_state *st = arg;

	if (!declare_alias_map(st->cf, st->n, spec))
		return;
	sb_printf(&st->seq, "%sAlias%d", st->n > 0 ? " " : "", st->n);
	st->n++;
}

void alias_setup(struct cf *cf)
{
	const char *opt = cf->opt.str[OPT_AliasFile];
	struct setup_state st = {cf, STRBUF_INIT, 0};

	if (opt == NULL || *opt == '\0')
		return;
	alias_for_each_spec(opt, setup_one, &st);
	if (st.n > 0) {
		map_define(cf, "aliases.files", "sequence", sb_str(&st.seq));
		map_define(cf, "aliases", "switch", "aliases");
	}
	sb_free(&st.seq);
}

static void print_to(struct cf *cf, const char *to)
{
	cf_put_input_location(cf);
	if (to != NULL)
		fprintf(cf->out, "%s... ", to);
}

/* The implicit class without a database: read the text file instead. */
static bool read_text_version(struct cf *cf, struct map *m, const char **to)
{
	struct alias_db *db;
	struct alias_sink sink = {text_sink_exists, text_sink_store, NULL};
	struct alias_stats st = {0, 0, 0};
	FILE *f;

	if (cf->show_messages) {
		print_to(cf, *to);
		fprintf(cf->out, "WARNING: cannot open alias database %s; reading text version\n",
		        m->file);
	}
	*to = NULL;
	f = fopen(m->file, "r");
	if (f == NULL)
		return false;
	db = xcalloc(1, sizeof(*db));
	sink.arg = db;
	read_aliases(cf, m->file, f, &sink, &st);
	fclose(f);
	if (cf->show_messages)
		print_stats(cf, m->file, &st);
	m->priv = db;
	return true;
}

/*
 * AliasWait: a database without the end marker is being written by a
 * newaliases that does not build aside (or by makemap); wait for it, at
 * most AliasWait seconds in all.
 */
static struct tdb_context *wait_for_marker(struct cf *cf, const char *path, struct tdb_context *tdb)
{
	long long left = cf->opt.num[OPT_AliasWait];
	unsigned step = 1;

	while (tdb != NULL && !db_has_marker(tdb) && left > 0) {
		unsigned s = (long long)step < left ? step : (unsigned)left;
		tdb_close(tdb);
		sleep(s);
		left -= s;
		step = step < 32 ? step * 2 : 60;
		tdb = tdb_open(path, 0, TDB_DEFAULT, O_RDONLY, 0);
	}
	return tdb;
}

static bool open_alias_db(struct cf *cf, struct map *m, const char **to)
{
	char *path = map_db_path(m->file);
	struct tdb_context *tdb;
	struct stat dst, sst;
	int e;

	if (stat(path, &dst) != 0) {
		e = errno;
		free(path);
		if (strcmp(m->class_name, "implicit") == 0)
			return read_text_version(cf, m, to);
		print_to(cf, *to);
		fprintf(cf->out, "%s map \"%s\": missing map file %s.db: %s\n", m->class_name,
		        m->name, m->file, strerror(e));
		return false;
	}
	if (!map_file_is_safe(cf, m, path)) {
		free(path);
		return false;
	}
	errno = 0;
	tdb = wait_for_marker(cf, path, tdb_open(path, 0, TDB_DEFAULT, O_RDONLY, 0));
	if (tdb == NULL) {
		e = errno;
		print_to(cf, *to);
		fprintf(cf->out, "%s map \"%s\": cannot open %s: %s\n", m->class_name, m->name,
		        path, e ? strerror(e) : "not a tdb database (rebuild it with newaliases)");
		free(path);
		return false;
	}
	if (cf->show_messages &&
	    (!db_has_marker(tdb) ||
	     (stat(path, &dst) == 0 && stat(m->file, &sst) == 0 && sst.st_mtime > dst.st_mtime))) {
		print_to(cf, *to);
		fprintf(cf->out, "Warning: alias database %s out of date\n", path);
	}
	free(path);
	m->priv = xcalloc(1, sizeof(struct alias_db));
	((struct alias_db *)m->priv)->tdb = tdb;
	return true;
}

static bool alias_class_open(struct cf *cf, struct map *m)
{
	const char *to = NULL;
	return open_alias_db(cf, m, &to);
}

static char *alias_class_lookup(struct cf *cf, struct macro_env *env, struct map *m,
                                const char *key, char **args, int *status, struct pool *pool)
{
	char *folded = map_fold_key(m, key, pool);
	char *v = alias_db_get(m->priv, folded);
	char *r;
	(void)cf;
	(void)env;
	(void)args;
	(void)status;

	if (v == NULL)
		return NULL;
	r = pool_strdup(pool, (m->flags & MF_MATCHONLY) ? key : v);
	free(v);
	return r;
}

static void alias_class_close(struct map *m)
{
	alias_db_close(m->priv);
	m->priv = NULL;
}

char *alias_lookup(struct cf *cf, const char *name, const char **to, struct pool *pool, int *status)
{
	struct map *sw = map_find(cf, "aliases");
	char *args[2] = {(char *)name, NULL};
	struct map *m;
	int st = 0;
	char *r;

	for (int i = 0; (m = alias_map(cf, i)) != NULL; i++) {
		if (!alias_map_is_db(m) || (m->flags & (MF_OPEN | MF_OPEN_FAILED)))
			continue;
		m->flags |= open_alias_db(cf, m, to) ? MF_OPEN : MF_OPEN_FAILED;
	}
	if (sw == NULL || !map_ensure_open(cf, sw))
		return NULL;
	r = sw->mclass->lookup(cf, &cf->macros, sw, name, args, &st, pool);
	if (r == NULL && st == EX_TEMPFAIL)
		*status = EX_TEMPFAIL;
	return r;
}

/* ---- newaliases ------------------------------------------------------------- */

static bool safe_source(struct cf *cf, int fd, const char **why)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = "Regular files only";
		return false;
	}
	if ((st.st_mode & S_IWGRP) && !option_dont_blame(cf, "groupwritablealiasfile")) {
		*why = "Group writable file";
		return false;
	}
	if ((st.st_mode & S_IWOTH) && !option_dont_blame(cf, "worldwritablealiasfile")) {
		*why = "World writable file";
		return false;
	}
	return true;
}

/* The aliases file, opened and checked; NULL after "cannot open". */
static FILE *open_source(struct cf *cf, const char *file)
{
	const char *why = NULL;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	FILE *f;

	if (fd < 0)
		why = strerror(errno);
	else if (!safe_source(cf, fd, &why))
		close(fd);
	if (why != NULL) {
		fprintf(cf->out, "newaliases: cannot open %s: %s\n", file, why);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	f = fdopen(fd, "r");
	if (f == NULL)
		close(fd);
	return f;
}

static char *dir_of(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

/* sendmail refuses to write a database into a world-writable directory. */
static bool safe_db_directory(struct cf *cf, const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0 || !(st.st_mode & S_IWOTH))
		return true;
	fprintf(cf->out, "WARNING: World writable directory %s\n", dir);
	return false;
}

static int cannot_create(struct cf *cf, const char *file)
{
	fprintf(cf->out, "WARNING: cannot open alias database %s\n", file);
	fprintf(cf->out, "Cannot create database for alias file %s\n", file);
	return EX_SOFTWARE;
}

/* tdb hash chains for a source of this size (about one per alias). */
static int hash_size_for(FILE *src)
{
	struct stat st;
	long n = 131;

	if (fstat(fileno(src), &st) == 0 && st.st_size / 24 > n)
		n = st.st_size / 24 > 1000003 ? 1000003 : (long)(st.st_size / 24) | 1;
	return (int)n;
}

/* The database belongs to the TrustedUser when root builds it, as sendmail's. */
/*
 * Built by root, the database belongs to TrustedUser as in sendmail;
 * without one it stays root's, in the daemon user's group (mode 0640):
 * sm-mta never runs as root and must read it.
 */
static void give_to_trusted_user(struct cf *cf, int fd)
{
	const char *tu = cf->opt.str[OPT_TrustedUser];
	struct passwd *pw;

	if (geteuid() != 0)
		return;
	if (tu == NULL || *tu == '\0') {
		pw = getpwnam(SDMAIL_DAEMON_USER);
		if (pw != NULL && fchown(fd, (uid_t)-1, pw->pw_gid) != 0)
			return;
		return;
	}
	pw = getpwnam(tu);
	if (pw != NULL && fchown(fd, pw->pw_uid, (gid_t)-1) != 0)
		return;
}

static void sync_directory(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * Write the entries of `src` into a new database at `tmp`; *built tells
 * whether it is complete (possibly without the bad entries).
 */
static int build_database(struct cf *cf, const char *file, FILE *src, const char *tmp,
                          struct alias_stats *st, bool *built)
{
	struct tdb_context *tdb;
	struct alias_sink sink = {tdb_sink_exists, tdb_sink_store, NULL};
	int bad;

	tdb = tdb_open(tmp, hash_size_for(src), TDB_DEFAULT, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
	               0640);
	if (tdb == NULL)
		return cannot_create(cf, file);
	fchmod(tdb_fd(tdb), 0640);
	give_to_trusted_user(cf, tdb_fd(tdb));
	sink.arg = tdb;
	if (tdb_transaction_start(tdb) != 0) {
		tdb_close(tdb);
		return cannot_create(cf, file);
	}
	bad = read_aliases(cf, file, src, &sink, st);
	if (bad < 0 || !tdb_sink_store(tdb, marker_key, marker_key) ||
	    tdb_transaction_commit(tdb) != 0) {
		fprintf(cf->out, "newaliases: %s: cannot write database: %s\n", file,
		        tdb_errorstr(tdb));
		tdb_close(tdb);
		return EX_IOERR;
	}
	if (tdb_close(tdb) != 0) {
		fprintf(cf->out, "newaliases: %s: cannot write database\n", file);
		return EX_IOERR;
	}
	*built = true;
	return bad > 0 ? EX_SOFTWARE : 0;
}

/* sendmail's two lines for a rebuilt database, from LogLevel 8 */
static void log_rebuilt(struct log_ctx *log, const char *file, const struct alias_stats *st)
{
	const struct passwd *pw = getpwuid(getuid());
	struct strbuf sb = STRBUF_INIT;
	struct log_entry en = {.priority = LOG_NOTICE, .threshold = 8, .event = "aliases"};

	if (log == NULL || !log_wants(log, 8))
		return;
	sb_printf(&sb, "alias database %s rebuilt by %s", file, pw ? pw->pw_name : "root");
	en.text = sb_str(&sb);
	log_emit(log, &en);
	sb_reset(&sb);
	sb_printf(&sb, "%s: %ld aliases, longest %ld bytes, %ld bytes total", file, st->count,
	          st->longest, st->total);
	en.priority = LOG_INFO;
	en.text = sb_str(&sb);
	log_emit(log, &en);
	sb_free(&sb);
}

static int rebuild_one(struct cf *cf, struct map *m, struct log_ctx *log)
{
	char *path = map_db_path(m->file), *dir = dir_of(path);
	struct strbuf tmp = STRBUF_INIT;
	struct alias_stats st = {0, 0, 0};
	FILE *src = open_source(cf, m->file);
	bool built = false;
	int rc;

	if (src == NULL) {
		rc = 0;
		goto out;
	}
	if (!safe_db_directory(cf, dir)) {
		rc = cannot_create(cf, m->file);
		goto out;
	}
	/* one rebuild at a time; readers keep using the old file meanwhile */
	flock(fileno(src), LOCK_EX);
	sb_printf(&tmp, "%s.new%ld", path, (long)getpid());
	unlink(sb_str(&tmp));
	rc = build_database(cf, m->file, src, sb_str(&tmp), &st, &built);
	if (built && rename(sb_str(&tmp), path) != 0) {
		fprintf(cf->out, "newaliases: cannot install %s: %s\n", path, strerror(errno));
		rc = EX_CANTCREAT;
		built = false;
	}
	if (built) {
		sync_directory(dir);
		print_stats(cf, m->file, &st);
		log_rebuilt(log, m->file, &st);
	} else {
		unlink(sb_str(&tmp));
	}
out:
	if (src != NULL)
		fclose(src);
	sb_free(&tmp);
	free(dir);
	free(path);
	return rc;
}

int alias_rebuild_all(struct cf *cf, struct log_ctx *log)
{
	struct map *m;
	int rc = 0;

	for (int i = 0; (m = alias_map(cf, i)) != NULL; i++) {
		int r;
		if (!alias_map_is_db(m))
			continue;
		r = rebuild_one(cf, m, log);
		if (r != 0 && rc == 0)
			rc = r;
	}
	return rc;
}
