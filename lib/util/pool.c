/*
 * pool: region allocation (pool.h).
 */
#include "util/pool.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define POOL_BLOCK_SIZE 8192

struct pool_block {
	struct pool_block *next;
	size_t used, size;
	max_align_t data[];
};

void *pool_alloc(struct pool *p, size_t n)
{
	struct pool_block *b = p->blocks;
	size_t aligned = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);

	if (aligned == 0)
		aligned = sizeof(max_align_t);
	if (b == NULL || b->size - b->used < aligned) {
		size_t size = aligned > POOL_BLOCK_SIZE ? aligned : POOL_BLOCK_SIZE;
		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = p->blocks;
		p->blocks = b;
	}
	void *r = (char *)b->data + b->used;
	b->used += aligned;
	return r;
}

char *pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *r = pool_alloc(p, n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

char *pool_strdup(struct pool *p, const char *s)
{
	return pool_strndup(p, s, strlen(s));
}

void pool_release(struct pool *p)
{
	struct pool_block *b = p->blocks;
	while (b != NULL) {
		struct pool_block *next = b->next;
		free(b);
		b = next;
	}
	p->blocks = NULL;
}
