/*
 * xalloc: allocation wrappers for the whole code base.  Running out of memory
 * is not a recoverable condition for a mail program that must not lose
 * messages half-way, so these abort with one line on stderr (exit 71,
 * EX_OSERR) instead of returning NULL; every caller can then treat
 * allocation as infallible.
 */
#ifndef SDMAIL_UTIL_XALLOC_H
#define SDMAIL_UTIL_XALLOC_H

#include <stddef.h>

/* Report that n bytes could not be had and exit (EX_OSERR). */
_Noreturn void out_of_memory(size_t n);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow an array to at least `need` elements of `size` bytes (doubling). */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);

#endif
