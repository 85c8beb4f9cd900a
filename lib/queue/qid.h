/*
 * qid: sendmail 8.17's queue identifiers.  An ID is 14 characters: the
 * local time of its creation as six base-60 digits (year % 60 counted from
 * 1900, month 0-11, day, hour, minute, second), a two-digit base-60
 * sequence number that is per process and starts at a random value, and
 * the process id as six decimal digits (pid % 1000000).  The digits of
 * base 60 are 0-9, A-Z, a-x.  The sequence lives in a caller-owned struct
 * qid_state, never in a global.
 */
#ifndef SDMAIL_QUEUE_QID_H
#define SDMAIL_QUEUE_QID_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#define QID_LEN 14
#define QID_SEQ_MAX 3600 /* two base-60 digits */

struct qid_state {
	unsigned seq; /* the next sequence number, 0..QID_SEQ_MAX-1 */
};

/* Start the sequence at `seed` % 3600 (callers pass a random value). */
void qid_init(struct qid_state *st, unsigned seed);

/* Format an ID from its parts; `out` gets QID_LEN characters and a NUL. */
void qid_format(char out[QID_LEN + 1], const struct tm *tm, unsigned seq, pid_t pid);

/* The next ID for `now` (local time) and `pid`; advances the sequence. */
void qid_next(struct qid_state *st, time_t now, pid_t pid, char out[QID_LEN + 1]);

/* The value of a base-60 digit, or -1. */
int qid_digit_value(char c);

/* Is `id` a well-formed 14-character ID? */
bool qid_valid(const char *id);

#endif
