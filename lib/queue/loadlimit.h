/*
 * loadlimit: the load average limits of sendmail 8.17.1.  The load average
 * is the first number of /proc/loadavg (the 1-minute value) rounded to an
 * integer, as sendmail reads it on Linux.  QueueLA: a message whose
 * priority is above QueueFactor / (load - QueueLA + 1) is only queued, not
 * delivered, and a queue run is skipped by the same rule with the priority
 * RecipientFactor.  RefuseLA: the daemon stops taking connections.
 * DelayLA: the daemon waits a second before each connection it takes.
 * RefuseLA and DelayLA of 0 or less are off (QueueLA has no such value in
 * sendmail's rule); a load average that cannot be read is 0.
 */
#ifndef SDMAIL_QUEUE_LOADLIMIT_H
#define SDMAIL_QUEUE_LOADLIMIT_H

#include <stdbool.h>

struct cf;

/* The rounded 1-minute load average, 0 when it cannot be read. */
int load_average(void);

/* sendmail's rule for QueueLA: does a message of `priority` wait in the
 * queue at load average `la`? */
bool load_queues(int la, long long queue_la, long long queue_factor, long long priority);

/* The same with the current load average and cf's QueueLA and QueueFactor. */
bool load_queues_message(const struct cf *cf, long long priority);

/* "Skipping queue run -- load average too high": the QueueLA rule for a
 * queue run (priority RecipientFactor). */
bool load_skips_queue_run(const struct cf *cf);

#endif
