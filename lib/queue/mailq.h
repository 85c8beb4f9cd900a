/*
 * mailq: the listing of one queue directory that sendmail 8.17 prints for
 * `mailq` / `sendmail -bp` (and with -v, -qQ, -qL), byte for byte: the
 * header with the request count, one block per entry in priority order
 * (ID with its mark: `*` locked, `X` too expensive to run at this load,
 * `?` lost; df size; time; sender; quarantine reason; body type and
 * status message; recipients; with -v the priority and controlling
 * users), and the totals line.  The "MSP/MTA Queue status..." titles
 * belong to the caller.  Entries are read the way sendmail's listing
 * reads them, line by line without validating, so a damaged qf shows
 * what sendmail shows for it.
 */
#ifndef SDMAIL_QUEUE_MAILQ_H
#define SDMAIL_QUEUE_MAILQ_H

#include <stdbool.h>
#include <stdio.h>

struct queue;

struct mailq_options {
	bool verbose;      /* -v: priority, controlling users, wider columns */
	int kind;          /* enum queue_kind: 'q', 'h' (-qQ) or 'Q' (-qL) */
	int load_average;  /* the current load average, for the X mark */
	int queue_la;      /* QueueLA */
	long queue_factor; /* QueueFactor */
};

/* sendmail's defaults for the fields above (QueueLA 8, QueueFactor 600000) */
void mailq_options_init(struct mailq_options *opt);

/*
 * Print the listing of `q` and its "Total requests" line to `out`.
 * Returns the number of requests, or -errno when the directory cannot be
 * read (nothing printed then).
 */
int mailq_print(FILE *out, const struct queue *q, const struct mailq_options *opt);

/* Would sendmail only queue (not run) a message of priority `pri` now? */
bool mailq_should_queue(const struct mailq_options *opt, long pri);

#endif
