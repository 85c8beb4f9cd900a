/*
 * map: sendmail's keyed lookup tables (K lines).  Owns the registry of
 * declared maps, parsing of K lines and their flags (-a -A -D -f -k -m -N
 * -O -o -q -S -T -t -v -z ...), the map classes sdmail implements, lazy
 * opening, and the common lookup path used by $( $) and $[ $] in rules,
 * by /map in test mode and by the daemon: quote stripping, case folding,
 * %n argument substitution, appended strings, temporary-failure handling
 * and the -d38/-d60 traces.  Classes sdmail does not have (ldap, nis, ...)
 * are refused with sendmail's own "class not available" error.
 */
#ifndef SDMAIL_MAPS_MAP_H
#define SDMAIL_MAPS_MAP_H

#include <stdbool.h>

#include "cf/cf.h"

struct pool;
struct map;

/* map flags (sendmail's MF_*) */
enum {
	MF_VALID = 1u << 0,
	MF_OPEN = 1u << 1,
	MF_OPTIONAL = 1u << 2,
	MF_NOFOLDCASE = 1u << 3,
	MF_MATCHONLY = 1u << 4,
	MF_INCLNULL = 1u << 5,
	MF_TRY0NULL = 1u << 6,
	MF_TRY1NULL = 1u << 7,
	MF_KEEPQUOTES = 1u << 8,
	MF_NODEFER = 1u << 9,
	MF_DEFER = 1u << 10,
	MF_APPEND = 1u << 11,
	MF_OPEN_FAILED = 1u << 12,
	MF_SINGLEMATCH = 1u << 13,
	MF_REGEX_NOT = 1u << 14,
	MF_ALIAS = 1u << 15,
};

struct map_class {
	const char *name;
	bool needs_file;
	/* parse class-specific arguments; return false after printing an error */
	bool (*parse)(struct cf *cf, struct map *m, char **argv, int argc);
	/* open; return false (after printing) when the map cannot be used */
	bool (*open)(struct cf *cf, struct map *m);
	/*
	 * Look `key` up; return a pool string (already %n-rewritten, with
	 * -a appended) or NULL.  *status gets a sysexits code on failure.
	 */
	char *(*lookup)(struct cf *cf, struct macro_env *env, struct map *m,
			const char *key, char **args, int *status, struct pool *pool);
	void (*close)(struct map *m);
};

struct map {
	char *name;
	const struct map_class *mclass;
	char *class_name;
	unsigned flags;
	char *file;        /* as written (no .db suffix) */
	char *app;         /* -a */
	char *tapp;        /* -T */
	char spacesub;     /* -S, default BlankSub */
	char coldelim;     /* -z */
	int keycol, valcol;/* -k -v (text maps) */
	char *keycolnm, *valcolnm; /* -k / -v as given */
	long long timeout; /* -d */
	char **submaps;    /* sequence/switch members */
	int nsubmaps;
	void *priv;        /* class state (tdb handle, regex, ...) */
	struct map *next;
};

struct map_registry {
	struct map *first;
};

/* Create the registry with sendmail's built-in maps ("host"). */
void map_registry_init(struct cf *cf);
void map_registry_free(struct cf *cf);
/* Close the maps opened from files and sockets: the next lookup opens
 * them again (a process serving one SMTP session after another). */
void map_registry_close_all(struct cf *cf);

/* Handle a K line body (everything after 'K'); prints errors itself. */
void map_declare(struct cf *cf, const char *body);
/* Declare a map from name, class and argument text (used for built-ins). */
struct map *map_define(struct cf *cf, const char *name, const char *class_name,
		       const char *args);

struct map *map_find(const struct cf *cf, const char *name);
char map_spacesub(const struct map *m);
/* Open if not yet tried; true when usable. */
bool map_ensure_open(struct cf *cf, struct map *m);

/*
 * The rewriting engine's lookup (sendmail's map_lookup): quote stripping,
 * -d60 traces, -T on temporary failure.  args[0] is the key.
 */
char *map_lookup(struct cf *cf, struct macro_env *env, struct map *m, char *key,
		 char **args, int *status, struct pool *pool);

/*
 * sendmail's file-safety rule for maps: a map file must be a regular file
 * owned by root, the TrustedUser or us and not world-writable, in a
 * directory owned by one of them that others cannot write to (unless
 * DontBlameSendmail says so).
 * Prints "CLASS map "NAME": unsafe map file PATH: ..." when it is not.
 */
bool map_file_is_safe(struct cf *cf, struct map *m, const char *path);

/* Apply %0..%9 substitution to `value` and append m->app. */
char *map_rewrite(const struct map *m, const char *value, char **args, struct pool *pool);
/* Fold the key per the map's flags into a pool copy. */
char *map_fold_key(const struct map *m, const char *key, struct pool *pool);

/* The classes (map_*.c) */
extern const struct map_class map_class_hash, map_class_btree, map_class_dbm,
	map_class_implicit, map_class_text, map_class_host, map_class_dns,
	map_class_bestmx, map_class_dequote, map_class_sequence, map_class_switch,
	map_class_regex, map_class_macro, map_class_arith, map_class_stab,
	map_class_user, map_class_null, map_class_syslog, map_class_socket,
	map_class_program;

#endif
