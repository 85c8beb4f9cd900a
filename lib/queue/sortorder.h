/*
 * sortorder: sendmail's QueueSortOrder, the order in which queue runs and
 * mailq take the entries of a queue, as sendmail 8.17.1 orders them:
 * priority (the P line, lowest first), host (the first recipient's domain
 * compared backwards and without regard to case, so that the entries for
 * one domain and its subdomains come together; then priority), time (the
 * T line, oldest first), filename (the qf's name), modification (the
 * qf's mtime, oldest first), random, and none (directory order).  Every
 * tie keeps directory order.  The module owns what a listing reads from a
 * qf to sort it.
 */
#ifndef SDMAIL_QUEUE_SORTORDER_H
#define SDMAIL_QUEUE_SORTORDER_H

#include <stddef.h>
#include <time.h>

#include "queue/queue.h"

#define QUEUE_SORT_HOST_MAX 256

struct queue_sort_item {
	struct queue_item item;
	size_t order;                   /* its place in the directory */
	time_t mtime;                   /* the qf's */
	char host[QUEUE_SORT_HOST_MAX]; /* first recipient's domain, lower case, reversed */
};

/* The order a QueueSortOrder value names ('p', 'h', 't', 'f', 'm', 'r', 'n'). */
char sortorder_from_option(long value);

/*
 * Read the P, T and first R lines of the qf at `path` into it.  The
 * priority is 0 for an order that does not need it (sendmail does not
 * read the qf then: mailq -v shows 0, no entry is marked too expensive).
 */
void sortorder_peek(const char *path, struct queue_sort_item *it, char order);

/* Sort n items in `order` (a sortorder_from_option value). */
void sortorder_sort(struct queue_sort_item *v, size_t n, char order);

#endif
