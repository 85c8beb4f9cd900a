/*
 * pool: a region allocator for short-lived strings.  One address being
 * parsed and rewritten creates many small token strings whose lifetimes all
 * end together; they come from a pool that is released in one call, which
 * keeps the rewriting engine free of per-token ownership bookkeeping.
 */
#ifndef SDMAIL_UTIL_POOL_H
#define SDMAIL_UTIL_POOL_H

#include <stddef.h>

struct pool_block;

struct pool {
	struct pool_block *blocks;
};

#define POOL_INIT {NULL}

void *pool_alloc(struct pool *p, size_t n);
char *pool_strdup(struct pool *p, const char *s);
char *pool_strndup(struct pool *p, const char *s, size_t n);
void pool_release(struct pool *p);

#endif
