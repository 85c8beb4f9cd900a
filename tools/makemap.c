/*
 * makemap: build a map database from `key value` lines on standard input,
 * with sendmail's makemap options and messages.  The types hash, btree
 * and dbm are all written as tdb files named MAPNAME.db, which is what
 * sdmail's map classes read.  A new map is built in a temporary file and
 * renamed into place, so a running daemon never sees half a map.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <tdb.h>
#include <unistd.h>

#include "maps/map_db.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct makemap_opts {
	bool include_nul;   /* -N */
	bool allow_dups;    /* -d */
	bool allow_empty;   /* -e */
	bool no_fold;       /* -f */
	bool append;        /* -o */
	bool replace;       /* -r */
	bool unsafe;        /* -s */
	bool dump;          /* -u */
	bool verbose;       /* -v */
	char comment;       /* -D */
	char delim;         /* -t, 0 for white space */
	const char *type;
	const char *name;
};

static void usage(void)
{
	fputs("Usage: makemap [-C cffile] [-N] [-c cachesize] [-D commentchar]\n"
	      "               [-d] [-e] [-f] [-i type] [-l] [-o] [-r] [-s] [-t delimiter]\n"
	      "               [-u] [-v] type mapname\n",
	      stderr);
}

static bool known_type(const char *t)
{
	return strcmp(t, "hash") == 0 || strcmp(t, "btree") == 0 || strcmp(t, "dbm") == 0;
}

/* sendmail warns about maps in world-writable directories */
static void check_directory(const char *path, const struct makemap_opts *o)
{
	if (!o->unsafe)
		map_db_warn_directory(path);
}

static int compare_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int dump_map(const struct makemap_opts *o)
{
	char *path = map_db_path(o->name);
	struct tdb_context *tdb = tdb_open(path, 0, TDB_DEFAULT, O_RDONLY, 0);
	TDB_DATA k;

	if (tdb == NULL) {
		fprintf(stderr, "makemap: error opening type %s map %s: %s\n", o->type, o->name,
			strerror(errno ? errno : ENOENT));
		free(path);
		return EX_CANTCREAT;
	}
	/* sorted, so that the listing is stable */
	char **keys = NULL;
	size_t n = 0, cap = 0;
	for (k = tdb_firstkey(tdb); k.dptr != NULL;) {
		TDB_DATA next = tdb_nextkey(tdb, k);
		keys = xgrow(keys, &cap, n + 1, sizeof(char *));
		keys[n++] = xstrndup((const char *)k.dptr, k.dsize);
		free(k.dptr);
		k = next;
	}
	qsort(keys, n, sizeof(char *), compare_keys);
	for (size_t i = 0; i < n; i++) {
		TDB_DATA key = {(unsigned char *)keys[i], strlen(keys[i])};
		TDB_DATA v = tdb_fetch(tdb, key);
		if (v.dptr == NULL) {
			key.dsize++;
			v = tdb_fetch(tdb, key);
		}
		for (size_t off = 0; v.dptr != NULL && off < v.dsize;) {
			size_t len = strnlen((const char *)v.dptr + off, v.dsize - off);
			printf("%s%c%.*s\n", keys[i], o->delim ? o->delim : '\t', (int)len,
			       (const char *)v.dptr + off);
			off += len + 1;
		}
		free(v.dptr);
		free(keys[i]);
	}
	free(keys);
	free(path);
	tdb_close(tdb);
	return EX_OK;
}

/* Split one input line into key and value; returns false with *why set. */
static bool split_line(char *line, const struct makemap_opts *o, char **key, char **val,
		       const char **why)
{
	char *p = line;
	if (o->delim != 0) {
		p = strchr(line, o->delim);
	} else {
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p == '\0')
			p = NULL;
	}
	*key = line;
	if (p == NULL) {
		*val = line + strlen(line);
	} else {
		*p++ = '\0';
		if (o->delim == 0)
			while (*p == ' ' || *p == '\t')
				p++;
		*val = p;
	}
	if (**val == '\0' && !o->allow_empty) {
		*why = "no RHS for LHS";
		return false;
	}
	return true;
}

static int build_map(const struct makemap_opts *o)
{
	char *path = map_db_path(o->name);
	struct strbuf tmp = STRBUF_INIT;
	struct tdb_context *tdb;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = EX_OK;

	check_directory(path, o);
	if (o->append) {
		tdb = tdb_open(path, 0, TDB_DEFAULT, O_RDWR | O_CREAT, 0640);
	} else {
		sb_printf(&tmp, "%s.new%ld", path, (long)getpid());
		unlink(sb_str(&tmp));
		tdb = tdb_open(sb_str(&tmp), 0, TDB_DEFAULT, O_RDWR | O_CREAT | O_EXCL, 0640);
	}
	if (tdb == NULL) {
		fprintf(stderr, "makemap: error opening type %s map %s: %s\n", o->type, o->name,
			strerror(errno ? errno : EIO));
		free(path);
		sb_free(&tmp);
		return EX_CANTCREAT;
	}
	if (tdb_transaction_start(tdb) != 0) {
		fprintf(stderr, "makemap: %s: cannot start transaction\n", o->name);
		rc = EX_IOERR;
		goto out;
	}
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		char *key, *val;
		const char *why = NULL;
		TDB_DATA k, v;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (line[0] == '\0' || line[0] == o->comment)
			continue;
		if (line[0] == ' ' || line[0] == '\t') {
			fprintf(stderr, "makemap: %s: line %d: syntax error (leading space)\n", o->name,
				lineno);
			rc = EX_DATAERR;
			continue;
		}
		if (!split_line(line, o, &key, &val, &why)) {
			fprintf(stderr, "makemap: %s: line %d: %s %s\n", o->name, lineno, why, key);
			rc = EX_DATAERR;
			continue;
		}
		if (!o->no_fold)
			for (char *p = key; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		if (o->verbose)
			printf("key=`%s', val=`%s'\n", key, val);
		k.dptr = (unsigned char *)key;
		k.dsize = strlen(key) + (o->include_nul ? 1 : 0);
		v.dptr = (unsigned char *)val;
		v.dsize = strlen(val) + (o->include_nul ? 1 : 0);
		if (tdb_exists(tdb, k)) {
			if (o->allow_dups) {
				/* further values follow the first, NUL-separated */
				TDB_DATA old = tdb_fetch(tdb, k);
				struct strbuf both = STRBUF_INIT;
				sb_put(&both, (const char *)old.dptr, old.dsize);
				if (!o->include_nul)
					sb_putc(&both, '\0');
				sb_put(&both, val, v.dsize);
				free(old.dptr);
				v.dptr = (unsigned char *)both.s;
				v.dsize = both.len;
				tdb_store(tdb, k, v, TDB_REPLACE);
				sb_free(&both);
				continue;
			}
			if (!o->replace) {
				fprintf(stderr, "makemap: %s: line %d: key %s: duplicate key\n",
					o->name, lineno, key);
				rc = EX_DATAERR;
				continue;
			}
		}
		if (tdb_store(tdb, k, v, TDB_REPLACE) != 0) {
			fprintf(stderr, "makemap: %s: line %d: key %s: put error: %s\n", o->name,
				lineno, key, tdb_errorstr(tdb));
			rc = EX_IOERR;
		}
	}
	if (tdb_transaction_commit(tdb) != 0) {
		fprintf(stderr, "makemap: %s: cannot write: %s\n", o->name, tdb_errorstr(tdb));
		rc = EX_IOERR;
	}
out:
	free(line);
	if (tdb_close(tdb) != 0 && rc == EX_OK)
		rc = EX_IOERR;
	if (!o->append) {
		if (rc == EX_IOERR || rename(sb_str(&tmp), path) != 0) {
			if (rc != EX_IOERR) {
				fprintf(stderr, "makemap: cannot install %s: %s\n", path,
					strerror(errno));
				rc = EX_CANTCREAT;
			}
			unlink(sb_str(&tmp));
		}
	}
	sb_free(&tmp);
	free(path);
	return rc;
}

int main(int argc, char **argv)
{
	struct makemap_opts o = {.comment = '#'};
	int c;

	while ((c = getopt(argc, argv, "C:Nc:D:defi:lorst:uv")) != -1) {
		switch (c) {
		case 'C': case 'c': case 'i': break;
		case 'N': o.include_nul = true; break;
		case 'D': o.comment = optarg[0]; break;
		case 'd': o.allow_dups = true; break;
		case 'e': o.allow_empty = true; break;
		case 'f': o.no_fold = true; break;
		case 'l': puts("hash\nbtree\ndbm"); return EX_OK;
		case 'o': o.append = true; break;
		case 'r': o.replace = true; break;
		case 's': o.unsafe = true; break;
		case 't': o.delim = optarg[0]; break;
		case 'u': o.dump = true; break;
		case 'v': o.verbose = true; break;
		default: usage(); return EX_USAGE;
		}
	}
	if (argc - optind != 2) {
		usage();
		return EX_USAGE;
	}
	o.type = argv[optind];
	o.name = argv[optind + 1];
	if (!known_type(o.type)) {
		fprintf(stderr, "makemap: error opening type %s map %s: Unknown database type\n",
			o.type, o.name);
		return EX_CANTCREAT;
	}
	return o.dump ? dump_map(&o) : build_map(&o);
}
