/*
 * map: K-line parsing, the registry and the common lookup path (map.h).
 */
#include "maps/map.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "cf/meta.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

static const struct map_class *const map_classes[] = {
	&map_class_hash,    &map_class_btree,   &map_class_dbm,      &map_class_implicit,
	&map_class_text,    &map_class_host,    &map_class_dns,      &map_class_bestmx,
	&map_class_dequote, &map_class_sequence, &map_class_switch,  &map_class_regex,
	&map_class_macro,   &map_class_arith,   &map_class_stab,     &map_class_user,
	&map_class_null,    &map_class_syslog,  &map_class_socket,   &map_class_program,
	NULL,
};

static const struct map_class *find_class(const char *name)
{
	for (int i = 0; map_classes[i]; i++)
		if (strcmp(map_classes[i]->name, name) == 0)
			return map_classes[i];
	return NULL;
}

void map_registry_init(struct cf *cf)
{
	cf->maps = xcalloc(1, sizeof(*cf->maps));
	map_define(cf, "host", "host", "-a. -D");
}

static void map_free(struct map *m)
{
	if (m->mclass && m->mclass->close && ((m->flags & MF_OPEN) || m->priv != NULL))
		m->mclass->close(m);
	free(m->name);
	free(m->class_name);
	free(m->file);
	free(m->app);
	free(m->tapp);
	free(m->keycolnm);
	free(m->valcolnm);
	for (int i = 0; i < m->nsubmaps; i++)
		free(m->submaps[i]);
	free(m->submaps);
	free(m);
}

void map_registry_close_all(struct cf *cf)
{
	if (cf->maps == NULL)
		return;
	for (struct map *m = cf->maps->first; m != NULL; m = m->next) {
		/* without an open function, priv is the declaration's (a regex) */
		if (m->mclass == NULL || m->mclass->open == NULL)
			continue;
		if (m->mclass->close && ((m->flags & MF_OPEN) || m->priv != NULL))
			m->mclass->close(m);
		m->flags &= ~(MF_OPEN | MF_OPEN_FAILED);
	}
}

void map_registry_free(struct cf *cf)
{
	if (cf->maps == NULL)
		return;
	struct map *m = cf->maps->first;
	while (m != NULL) {
		struct map *next = m->next;
		map_free(m);
		m = next;
	}
	free(cf->maps);
	cf->maps = NULL;
}

struct map *map_find(const struct cf *cf, const char *name)
{
	if (cf->maps == NULL)
		return NULL;
	for (struct map *m = cf->maps->first; m; m = m->next)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

char map_spacesub(const struct map *m)
{
	return m->spacesub;
}

/* Split on blanks into argv (modifies s). */
static int split_args(char *s, char **argv, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *w = strtok_r(s, " \t", &save); w && n < max - 1; w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n] = NULL;
	return n;
}

/*
 * The generic flags every file-based class accepts.  Returns the index of
 * the first non-option argument, or -1 after an error.
 */
static int parse_common_flags(struct cf *cf, struct map *m, char **argv, int argc)
{
	int i;
	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		const char *v = argv[i] + 2;
		switch (argv[i][1]) {
		case 'A': m->flags |= MF_APPEND; break;
		case 'a': free(m->app); m->app = xstrdup(v); break;
		case 'D': m->flags |= MF_DEFER; break;
		case 'd': m->timeout = option_convtime(cf, v, 's'); break;
		case 'f': m->flags |= MF_NOFOLDCASE; break;
		case 'k': free(m->keycolnm); m->keycolnm = xstrdup(v); m->keycol = atoi(v); break;
		case 'm': m->flags |= MF_MATCHONLY; break;
		case 'N': m->flags |= MF_INCLNULL; m->flags &= ~MF_TRY0NULL; break;
		case 'O': m->flags &= ~MF_TRY1NULL; break;
		case 'o': m->flags |= MF_OPTIONAL; break;
		case 'q': m->flags |= MF_KEEPQUOTES; break;
		case 'S': m->spacesub = *v; break;
		case 'T': free(m->tapp); m->tapp = xstrdup(v); break;
		case 't': m->flags |= MF_NODEFER; break;
		case 'v': free(m->valcolnm); m->valcolnm = xstrdup(v); m->valcol = atoi(v); break;
		case 'z':
			if (*v == '\\' && v[1] == 'n')
				m->coldelim = '\n';
			else if (*v == '\\' && v[1] == 't')
				m->coldelim = '\t';
			else
				m->coldelim = *v;
			break;
		case '\0':
			break;
		default:
			cf_error(cf, EX_SOFTWARE, "Illegal option %c map %s", argv[i][1], m->name);
			break;
		}
	}
	return i;
}

/* Default argument parser: flags, then the file name. */
static bool parse_default(struct cf *cf, struct map *m, char **argv, int argc)
{
	int i = parse_common_flags(cf, m, argv, argc);
	if (i < argc) {
		free(m->file);
		m->file = xstrdup(argv[i]);
	}
	if (m->mclass->needs_file && m->file == NULL) {
		cf_error(cf, EX_SOFTWARE, "No file name for %s map %s", m->mclass->name, m->name);
		return false;
	}
	return true;
}

struct map *map_define(struct cf *cf, const char *name, const char *class_name,
		       const char *args)
{
	const struct map_class *mc = find_class(class_name);
	struct map *m, **pp;
	char *copy;
	char *argv[64];
	int argc;
	bool ok;

	if (mc == NULL) {
		cf_error(cf, EX_SOFTWARE, "readcf: map %s: class %s not available", name, class_name);
		return NULL;
	}
	/* a redefinition replaces the old map, as in sendmail */
	for (pp = &cf->maps->first; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->name, name) == 0) {
			struct map *old = *pp;
			*pp = old->next;
			map_free(old);
			break;
		}
	}
	m = xcalloc(1, sizeof(*m));
	m->name = xstrdup(name);
	m->class_name = xstrdup(class_name);
	m->mclass = mc;
	m->spacesub = cf->opt.num[OPT_BlankSub] ? (char)cf->opt.num[OPT_BlankSub] : ' ';
	m->flags = MF_TRY0NULL | MF_TRY1NULL;
	m->keycol = -1;
	m->valcol = -1;
	copy = xstrdup(args ? args : "");
	argc = split_args(copy, argv, 64);
	ok = mc->parse ? mc->parse(cf, m, argv, argc) : parse_default(cf, m, argv, argc);
	free(copy);
	if (!ok) {
		map_free(m);
		return NULL;
	}
	m->flags |= MF_VALID;
	for (pp = &cf->maps->first; *pp; pp = &(*pp)->next)
		;
	*pp = m;
	return m;
}

void map_declare(struct cf *cf, const char *body)
{
	const char *p = body;
	char *name, *cls;
	size_t n;

	while (isspace((unsigned char)*p))
		p++;
	n = strcspn(p, " \t");
	if (n == 0) {
		cf_error(cf, EX_SOFTWARE, "readcf: config K line: no map name");
		return;
	}
	name = xstrndup(p, n);
	p += n;
	while (isspace((unsigned char)*p))
		p++;
	n = strcspn(p, " \t");
	if (n == 0) {
		cf_error(cf, EX_SOFTWARE, "readcf: config K line, map %s: no map class", name);
		free(name);
		return;
	}
	cls = xstrndup(p, n);
	p += n;
	while (isspace((unsigned char)*p))
		p++;
	map_define(cf, name, cls, p);
	free(name);
	free(cls);
}

bool map_ensure_open(struct cf *cf, struct map *m)
{
	if (m->flags & MF_OPEN)
		return true;
	if (m->flags & MF_OPEN_FAILED)
		return false;
	if (m->mclass->open == NULL || m->mclass->open(cf, m)) {
		m->flags |= MF_OPEN;
		if (dbg_on(&cf->dbg, 38, 2))
			fprintf(cf->out, "openmap()\t%s:%s %s: valid\n", m->class_name, m->name,
				m->file ? m->file : "NULL");
		return true;
	}
	m->flags |= MF_OPEN_FAILED;
	return false;
}

static bool trusted_owner(const struct cf *cf, uid_t uid)
{
	const char *tu = cf->opt.str[OPT_TrustedUser];
	if (uid == 0 || uid == geteuid())
		return true;
	if (tu != NULL && *tu != '\0') {
		struct passwd *pw = getpwnam(tu);
		if (pw != NULL && pw->pw_uid == uid)
			return true;
		if (pw == NULL && (uid_t)atol(tu) == uid)
			return true;
	}
	return false;
}

bool map_file_is_safe(struct cf *cf, struct map *m, const char *path)
{
	struct stat st, dst;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	bool ok = true;

	if (slash == dir)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if (lstat(path, &st) != 0) {
		free(dir);
		return true; /* missing files are reported by the open */
	}
	if (S_ISLNK(st.st_mode) && !option_dont_blame(cf, "linkedmapinwritabledir")) {
		if (stat(dir, &dst) == 0 && (dst.st_mode & (S_IWGRP | S_IWOTH)))
			ok = false;
		if (stat(path, &st) != 0)
			ok = false;
	}
	if (ok && (!S_ISREG(st.st_mode) || (st.st_mode & S_IWOTH) || !trusted_owner(cf, st.st_uid)))
		ok = false;
	if (ok && !option_dont_blame(cf, "mapinunsafedirpath") && stat(dir, &dst) == 0 &&
	    (!trusted_owner(cf, dst.st_uid) || ((dst.st_mode & S_IWOTH) && !(dst.st_mode & S_ISVTX))))
		ok = false;
	if (!ok)
		fprintf(cf->out, "%s map \"%s\": unsafe map file %s: %s\n", m->class_name, m->name,
			path, strerror(EACCES));
	free(dir);
	return ok;
}

char *map_fold_key(const struct map *m, const char *key, struct pool *pool)
{
	char *k = pool_strdup(pool, key);
	if (!(m->flags & MF_NOFOLDCASE))
		for (char *p = k; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return k;
}

char *map_rewrite(const struct map *m, const char *value, char **args, struct pool *pool)
{
	struct strbuf sb = STRBUF_INIT;
	char *r;

	for (const char *p = value; *p; p++) {
		if (*p == '%' && p[1] != '\0') {
			p++;
			if (*p >= '0' && *p <= '9') {
				int k = *p - '0';
				int n = 0;
				while (args != NULL && n <= k && args[n] != NULL)
					n++;
				if (args != NULL && k < n && args[k] != NULL)
					sb_puts(&sb, args[k]);
				continue;
			}
			sb_putc(&sb, *p);
			continue;
		}
		sb_putc(&sb, *p);
	}
	if (m->app != NULL)
		sb_puts(&sb, m->app);
	r = pool_strdup(pool, sb_str(&sb));
	sb_free(&sb);
	return r;
}

char *map_lookup(struct cf *cf, struct macro_env *env, struct map *m, char *key,
		 char **args, int *pstatus, struct pool *pool)
{
	int status = 0;
	char *replac;
	bool t1 = dbg_on(&cf->dbg, 60, 1);

	if (cf->opt.num[OPT_DeliveryMode] == 'd' && (m->flags & MF_DEFER)) {
		if (t1)
			fprintf(cf->out, "map_lookup(%s, %s) => DEFERRED\n", m->name, key);
		*pstatus = EX_TEMPFAIL;
		return NULL;
	}
	if (!(m->flags & MF_KEEPQUOTES))
		text_strip_quotes(key);
	/* opening comes first: its messages precede the trace line */
	bool usable = map_ensure_open(cf, m);
	if (t1) {
		struct strbuf sb = STRBUF_INIT;
		sb_printf(&sb, "map_lookup(%s, ", m->name);
		meta_xputs(cf, &sb, key);
		if (dbg_on(&cf->dbg, 60, 5))
			for (int i = 0; args[i] != NULL; i++)
				sb_printf(&sb, ", %%%d=%s", i, args[i]);
		sb_puts(&sb, ") => ");
		fputs(sb_str(&sb), cf->out);
		fflush(cf->out);
		sb_free(&sb);
	}
	if (usable) {
		replac = m->mclass->lookup(cf, env, m, key, args, &status, pool);
	} else {
		replac = NULL;
		if (!(m->flags & MF_OPTIONAL))
			status = EX_TEMPFAIL;
	}
	if (t1)
		fprintf(cf->out, "%s (%d), ad=0\n", replac ? replac : "NOT FOUND", status);
	if (status == EX_TEMPFAIL && !(m->flags & MF_NODEFER)) {
		*pstatus = EX_TEMPFAIL;
		if (t1)
			fprintf(cf->out, "map_lookup(%s, %s) tempfail: errno=%d\n", m->name, key,
				0);
	}
	if (status == EX_TEMPFAIL && m->tapp != NULL) {
		size_t n = strlen(key) + strlen(m->tapp) + 1;
		replac = pool_alloc(pool, n);
		snprintf(replac, n, "%s%s", key, m->tapp);
	}
	return replac;
}
