/*
 * aliasdb: the alias databases — sendmail's AliasFile option (several
 * files, each "FILE" or "CLASS:FILE"), declared as the maps sendmail
 * names Alias0, Alias1, ..., the sequence "aliases.files" and the
 * switch "aliases" (so /map works on them in test mode); rebuilding them
 * (newaliases, sendmail -bi): each aliases file is parsed entry by entry
 * (aliasfile.h; the name part through rulesets 3 and 0, which must
 * resolve to the local mailer) into a tdb file FILE.db with keys folded
 * to lower case and stored with their NUL, as `makemap -N` does, plus
 * sendmail's "@:@" end marker, built under a temporary name, committed,
 * fsynced and renamed into place so that readers only ever see a
 * complete database; looking names up for alias expansion, with
 * AliasWait (a database without the end marker is waited for) and the
 * "out of date" and "reading text version" fallbacks of the implicit
 * class.  Messages and statistics lines are sendmail's.
 */
#ifndef SDMAIL_ALIASES_ALIASDB_H
#define SDMAIL_ALIASES_ALIASDB_H

#include <stdbool.h>
#include <stddef.h>

#include "cf/cf.h"

struct pool;
struct map;

/*
 * sendmail's setalias for every AliasFile spec: declares the maps.  An
 * unknown class prints "setalias: unknown alias class X" (EX_SOFTWARE).
 * Call once after the configuration and the command line are applied.
 */
void alias_setup(struct cf *cf);

/* Call fn for every spec of an AliasFile value (split at commas, blanks
 * trimmed, empty ones skipped). */
void alias_for_each_spec(const char *list, void (*fn)(void *arg, const char *spec), void *arg);

/* The alias maps in AliasFile order (NULL past the last). */
struct map *alias_map(const struct cf *cf, int i);
/* Is this alias map kept in a database file that newaliases builds? */
bool alias_map_is_db(const struct map *m);

/*
 * newaliases: rebuild every database-backed alias file, printing
 * "FILE: N aliases, longest N bytes, N bytes total" for each and logging
 * sendmail's "alias database FILE rebuilt by USER" and that line to `log`
 * (NULL: none) from LogLevel 8.  Returns a sysexits status (EX_SOFTWARE
 * when an entry or a database was bad).
 */
struct log_ctx;
int alias_rebuild_all(struct cf *cf, struct log_ctx *log);

/*
 * Look `name` up in the alias maps (sendmail's aliaslookup).  `*to` is
 * the address shown before verbose messages ("postmaster... "); reading
 * a text version instead of a missing database clears it, as sendmail's
 * does.  Returns the value (pool string) or NULL; *status gets
 * EX_TEMPFAIL when a map could not answer.
 */
char *alias_lookup(struct cf *cf, const char *name, const char **to, struct pool *pool,
                   int *status);

/* A database file read directly (praliases). */
struct alias_db;
/* Open FILE.db read-only; NULL with errno set (ENOENT, EACCES, EINVAL
 * for a file that is not a tdb database). */
struct alias_db *alias_db_open(const char *file);
void alias_db_close(struct alias_db *db);
/* The value of `key` exactly as given (no case folding); caller frees. */
char *alias_db_get(struct alias_db *db, const char *key);
/* Call fn for every entry, sorted by key (the "@" marker included). */
void alias_db_list(struct alias_db *db, void (*fn)(void *arg, const char *key, const char *value),
                   void *arg);

#endif
