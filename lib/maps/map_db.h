/*
 * map_db: helpers shared by the tdb-backed map classes, makemap and editmap.
 */
#ifndef SDMAIL_MAPS_MAP_DB_H
#define SDMAIL_MAPS_MAP_DB_H

struct map;
struct pool;

/* "FILE" → "FILE.db" (unchanged when it already ends in .db); caller frees. */
char *map_db_path(const char *file);
/*
 * sendmail's warning (twice, on stderr) for a map database in a
 * world-writable directory: "WARNING: World writable directory DIR".
 */
void map_db_warn_directory(const char *path);
/* Raw fetch of an already folded key, honouring -N/-O. */
char *map_db_fetch(struct map *m, const char *key, struct pool *pool);

#endif
