/*
 * debug: sendmail's numbered debug categories (`-d0-99.level`).  A category
 * is a number 0..99 with a level 0..255; code asks dbg_on(d, cat, level).
 * The flags live in the caller's struct (normally inside the loaded
 * configuration), never in a global, so tests and the fuzzer can run
 * independent instances side by side.
 */
#ifndef SDMAIL_UTIL_DEBUG_H
#define SDMAIL_UTIL_DEBUG_H

#include <stdbool.h>

#define DEBUG_CATEGORIES 100

struct debug_flags {
	unsigned char level[DEBUG_CATEGORIES];
};

/*
 * Apply one -d argument: "cat[-cat][.level][,...]".  A missing level means 1,
 * an empty spec means every category at level 1.  Malformed items are
 * ignored like sendmail does; returns the number of items applied.
 */
int debug_parse(struct debug_flags *d, const char *spec);

static inline bool dbg_on(const struct debug_flags *d, int cat, int level)
{
	return cat >= 0 && cat < DEBUG_CATEGORIES && d->level[cat] >= level;
}

#endif
