/*
 * sortorder: QueueSortOrder (sortorder.h).
 */
#include "queue/sortorder.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char sortorder_from_option(long value)
{
	switch (value) {
	case 'h': case 't': case 'f': case 'm': case 'r': case 'n':
		return (char)value;
	default:
		return 'p';
	}
}

/* "RPFD:<user@Host.Example>" -> "elpmaxe.tsoh"; no domain: "" */
static void note_host(struct queue_sort_item *it, const char *line)
{
	const char *addr = strchr(line, ':'), *at, *end;
	size_t n;

	addr = addr != NULL ? addr + 1 : line + 1;
	at = strrchr(addr, '@');
	if (at == NULL)
		return;
	end = at + 1 + strcspn(at + 1, ">\n");
	n = (size_t)(end - (at + 1));
	if (n >= sizeof(it->host))
		n = sizeof(it->host) - 1;
	for (size_t i = 0; i < n; i++)
		it->host[i] = (char)tolower((unsigned char)end[-1 - (ptrdiff_t)i]);
	it->host[n] = '\0';
}

/* sendmail reads a qf to sort only for these orders; otherwise its
 * priority stays 0, as mailq -v shows */
static bool reads_qf(char order)
{
	return order == 'p' || order == 'h' || order == 't';
}

void sortorder_peek(const char *path, struct queue_sort_item *it, char order)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	int recipients = 0;

	it->item.priority = QUEUE_NO_PRIORITY;
	it->item.ctime = 0;
	it->host[0] = '\0';
	if (f == NULL)
		return;
	while (getline(&line, &cap, f) > 0) {
		if (line[0] == 'P')
			it->item.priority = strtol(line + 1, NULL, 10);
		else if (line[0] == 'T')
			it->item.ctime = (time_t)strtoll(line + 1, NULL, 10);
		else if (line[0] == 'R' && recipients++ == 0)
			note_host(it, line);
	}
	free(line);
	fclose(f);
	if (!reads_qf(order))
		it->item.priority = 0;
}

static int by_directory(const struct queue_sort_item *x, const struct queue_sort_item *y)
{
	return x->order < y->order ? -1 : x->order > y->order;
}

static int by_priority(const struct queue_sort_item *x, const struct queue_sort_item *y)
{
	if (x->item.priority != y->item.priority)
		return x->item.priority < y->item.priority ? -1 : 1;
	return by_directory(x, y);
}

static int cmp_priority(const void *a, const void *b)
{
	return by_priority(a, b);
}

static int cmp_host(const void *a, const void *b)
{
	const struct queue_sort_item *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	return c != 0 ? c : by_priority(x, y);
}

static int cmp_time(const void *a, const void *b)
{
	const struct queue_sort_item *x = a, *y = b;

	if (x->item.ctime != y->item.ctime)
		return x->item.ctime < y->item.ctime ? -1 : 1;
	return by_directory(x, y);
}

static int cmp_filename(const void *a, const void *b)
{
	const struct queue_sort_item *x = a, *y = b;
	int c = strcmp(x->item.name, y->item.name);

	return c != 0 ? c : by_directory(x, y);
}

static int cmp_modification(const void *a, const void *b)
{
	const struct queue_sort_item *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return by_directory(x, y);
}

static void shuffle(struct queue_sort_item *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = arc4random_uniform((uint32_t)i);
		struct queue_sort_item t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

void sortorder_sort(struct queue_sort_item *v, size_t n, char order)
{
	int (*cmp)(const void *, const void *) = cmp_priority;

	switch (order) {
	case 'n':
		return;
	case 'r':
		shuffle(v, n);
		return;
	case 'h': cmp = cmp_host; break;
	case 't': cmp = cmp_time; break;
	case 'f': cmp = cmp_filename; break;
	case 'm': cmp = cmp_modification; break;
	default: break;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp);
}
