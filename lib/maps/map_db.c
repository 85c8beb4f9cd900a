/*
 * map_db: the database map classes hash, btree and dbm (and implicit, the
 * class aliases use).  sendmail keeps these in Berkeley DB; sdmail keeps
 * them in tdb files with the same names (FILE.db), written by sdmail's
 * makemap, so that existing Makefiles and /etc/mail scripts keep working.
 * Keys are stored case-folded (unless makemap -f) and without a trailing
 * NUL (unless -N); lookups try the forms the map flags allow, as sendmail
 * does.
 */
#include "maps/map_db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <tdb.h>

#include "maps/map.h"
#include "util/pool.h"
#include "util/xalloc.h"

char *map_db_path(const char *file)
{
	size_t n = strlen(file);
	char *path = xmalloc(n + 4);
	memcpy(path, file, n);
	if (n < 3 || strcmp(file + n - 3, ".db") != 0)
		memcpy(path + n, ".db", 4);
	else
		path[n] = '\0';
	return path;
}

void map_db_warn_directory(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;

	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) == 0 && (st.st_mode & S_IWOTH))
		for (int i = 0; i < 2; i++)
			fprintf(stderr, "WARNING: World writable directory %s\n", dir);
	free(dir);
}

static bool db_open(struct cf *cf, struct map *m)
{
	char *path = map_db_path(m->file);
	struct tdb_context *tdb;
	struct stat st;

	if (stat(path, &st) != 0) {
		int e = errno;
		if (!(m->flags & MF_OPTIONAL)) {
			fprintf(cf->out, "%s map \"%s\": missing map file %s: %s\n", m->class_name,
				m->name, path, strerror(e));
			cf_set_status(cf, EX_OSERR);
		}
		free(path);
		return false;
	}
	if (!map_file_is_safe(cf, m, path)) {
		free(path);
		return false;
	}
	if (dbg_on(&cf->dbg, 38, 2))
		fprintf(cf->out, "%s_map_open(%s, %s, 0)\n", m->class_name, m->name, m->file);
	tdb = tdb_open(path, 0, TDB_DEFAULT, O_RDONLY, 0);
	if (tdb == NULL) {
		int e = errno;
		if (!(m->flags & MF_OPTIONAL))
			fprintf(cf->out, "%s map \"%s\": cannot open %s: %s\n", m->class_name, m->name,
				path, e ? strerror(e) : "not a tdb database (rebuild it with makemap)");
		free(path);
		return false;
	}
	free(path);
	m->priv = tdb;
	return true;
}

static void db_close(struct map *m)
{
	if (m->priv != NULL)
		tdb_close(m->priv);
	m->priv = NULL;
}

/* Fetch `key` (optionally with its NUL) into a pool string. */
static char *fetch(struct map *m, const char *key, bool with_nul, struct pool *pool)
{
	TDB_DATA k, v;
	char *r;

	k.dptr = (unsigned char *)key;
	k.dsize = strlen(key) + (with_nul ? 1 : 0);
	v = tdb_fetch(m->priv, k);
	if (v.dptr == NULL)
		return NULL;
	if (v.dsize > 0 && v.dptr[v.dsize - 1] == '\0')
		v.dsize--;
	/*
	 * makemap -d stores the values of a repeated key NUL-separated after
	 * the first; a map declared with -A returns them all, joined by commas,
	 * any other map the first.
	 */
	if (m->flags & MF_APPEND)
		for (size_t i = 0; i < v.dsize; i++)
			if (v.dptr[i] == '\0')
				v.dptr[i] = ',';
	r = pool_strndup(pool, (const char *)v.dptr, v.dsize);
	free(v.dptr);
	return r;
}

char *map_db_fetch(struct map *m, const char *key, struct pool *pool)
{
	char *v = NULL;
	if (m->flags & (MF_TRY0NULL))
		v = fetch(m, key, false, pool);
	if (v == NULL && (m->flags & (MF_TRY1NULL | MF_INCLNULL)))
		v = fetch(m, key, true, pool);
	return v;
}

static char *db_lookup(struct cf *cf, struct macro_env *env, struct map *m,
		       const char *key, char **args, int *status, struct pool *pool)
{
	char *k = map_fold_key(m, key, pool);
	char *v;
	(void)env;
	(void)status;

	if (dbg_on(&cf->dbg, 38, 20))
		fprintf(cf->out, "db_map_lookup(%s, %s)\n", m->name, key);
	v = map_db_fetch(m, k, pool);
	if (v == NULL)
		return NULL;
	return map_rewrite(m, (m->flags & MF_MATCHONLY) ? key : v, args, pool);
}

const struct map_class map_class_hash = {"hash", true, NULL, db_open, db_lookup, db_close};
const struct map_class map_class_btree = {"btree", true, NULL, db_open, db_lookup, db_close};
const struct map_class map_class_dbm = {"dbm", true, NULL, db_open, db_lookup, db_close};
const struct map_class map_class_implicit = {"implicit", true, NULL, db_open, db_lookup,
					     db_close};
