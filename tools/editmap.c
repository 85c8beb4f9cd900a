/*
 * editmap: query, update or delete one key of a map database in place,
 * with sendmail 8.17.1's editmap options, messages and exit codes.  The
 * types hash, btree and dbm are the tdb files makemap writes (MAPNAME.db);
 * each change is one tdb transaction, so a running daemon sees the map
 * before or after it, never half of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <tdb.h>
#include <unistd.h>

#include "maps/map_db.h"

enum editmap_mode { EDIT_NONE, EDIT_QUERY, EDIT_UPDATE, EDIT_DELETE };

struct editmap_opts {
	bool include_nul; /* -N */
	bool no_fold;     /* -f */
	enum editmap_mode mode;
	const char *type, *name, *key, *value;
};

static int usage(void)
{
	fputs("Usage: editmap [-C cffile] [-N] [-f] [-q|-u|-x] maptype mapname key [ \"value ...\" ]\n",
	      stderr);
	return EX_USAGE;
}

static bool known_type(const char *t)
{
	return strcmp(t, "hash") == 0 || strcmp(t, "btree") == 0 || strcmp(t, "dbm") == 0;
}

static TDB_DATA datum(const char *s, bool include_nul)
{
	TDB_DATA d = {(unsigned char *)s, strlen(s) + (include_nul ? 1 : 0)};
	return d;
}

static int query(struct tdb_context *tdb, const struct editmap_opts *o, TDB_DATA k)
{
	TDB_DATA v = tdb_fetch(tdb, k);
	size_t n = v.dsize;

	if (v.dptr == NULL) {
		fprintf(stderr, "editmap: couldn't find key %s in map %s\n", o->key, o->name);
		return EX_UNAVAILABLE;
	}
	if (n > 0 && v.dptr[n - 1] == '\0')
		n--;
	fwrite(v.dptr, 1, n, stdout);
	putchar('\n');
	free(v.dptr);
	return EX_OK;
}

static int change(struct tdb_context *tdb, const struct editmap_opts *o, TDB_DATA k)
{
	int rc = EX_OK;

	if (tdb_transaction_start(tdb) != 0) {
		fprintf(stderr, "editmap: %s: cannot start transaction\n", o->name);
		return EX_IOERR;
	}
	if (o->mode == EDIT_UPDATE) {
		if (tdb_store(tdb, k, datum(o->value, o->include_nul), TDB_REPLACE) != 0) {
			fprintf(stderr, "editmap: %s: key %s: put error: %s\n", o->name, o->key,
				tdb_errorstr(tdb));
			rc = EX_IOERR;
		}
	} else if (tdb_delete(tdb, k) != 0) {
		/* sendmail says so and still succeeds */
		fprintf(stderr, "editmap: key %s doesn't exist in map %s\n", o->key, o->name);
	}
	if (rc == EX_OK && tdb_transaction_commit(tdb) != 0) {
		fprintf(stderr, "editmap: %s: cannot write: %s\n", o->name, tdb_errorstr(tdb));
		return EX_IOERR;
	}
	if (rc != EX_OK)
		tdb_transaction_cancel(tdb);
	return rc;
}

static int edit(const struct editmap_opts *o)
{
	char *path = map_db_path(o->name), *key = strdup(o->key);
	int flags = o->mode == EDIT_QUERY ? O_RDONLY : O_RDWR | O_CREAT;
	struct tdb_context *tdb;
	int rc;

	if (key == NULL)
		return EX_OSERR;
	if (!o->no_fold)
		for (char *p = key; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	map_db_warn_directory(path);
	tdb = tdb_open(path, 0, TDB_DEFAULT, flags, 0640);
	if (tdb == NULL) {
		fprintf(stderr, "editmap: error opening type %s map %s: %s\n", o->type, o->name,
			strerror(errno ? errno : EIO));
		free(path);
		free(key);
		return EX_CANTCREAT;
	}
	if (o->mode == EDIT_QUERY)
		rc = query(tdb, o, datum(key, o->include_nul));
	else
		rc = change(tdb, o, datum(key, o->include_nul));
	if (tdb_close(tdb) != 0 && rc == EX_OK)
		rc = EX_IOERR;
	free(path);
	free(key);
	return rc;
}

static bool set_mode(struct editmap_opts *o, enum editmap_mode m)
{
	if (o->mode != EDIT_NONE && o->mode != m)
		return false;
	o->mode = m;
	return true;
}

int main(int argc, char **argv)
{
	struct editmap_opts o = {0};
	int c, nargs;

	while ((c = getopt(argc, argv, "C:Nfqux")) != -1) {
		switch (c) {
		case 'C':
			/* the configuration is only checked for: its maps are named here */
			if (access(optarg, R_OK) != 0) {
				fprintf(stderr, "editmap: %s: %s\n", optarg, strerror(errno));
				return EX_NOINPUT;
			}
			break;
		case 'N': o.include_nul = true; break;
		case 'f': o.no_fold = true; break;
		case 'q': if (!set_mode(&o, EDIT_QUERY)) return usage(); break;
		case 'u': if (!set_mode(&o, EDIT_UPDATE)) return usage(); break;
		case 'x': if (!set_mode(&o, EDIT_DELETE)) return usage(); break;
		default: return usage();
		}
	}
	nargs = argc - optind;
	/* -q and -x take a key, -u a key and a value (further words are ignored) */
	if (o.mode == EDIT_NONE || (o.mode == EDIT_UPDATE ? nargs < 4 : nargs != 3))
		return usage();
	o.type = argv[optind];
	o.name = argv[optind + 1];
	o.key = argv[optind + 2];
	o.value = o.mode == EDIT_UPDATE ? argv[optind + 3] : NULL;
	if (!known_type(o.type)) {
		fprintf(stderr, "editmap: error opening type %s map %s: Unknown database type\n",
			o.type, o.name);
		return EX_CANTCREAT;
	}
	return edit(&o);
}
