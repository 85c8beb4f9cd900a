/*
 * deadline: a point in time on the monotonic clock, for calls that take a
 * timeout and may wait several times (a line that arrives in pieces, a
 * TLS handshake of several round trips): the time left shrinks with every
 * wait instead of starting over.  Also the one poll(2) wrapper that waits
 * for a descriptor against such a deadline.
 */
#ifndef SDMAIL_UTIL_DEADLINE_H
#define SDMAIL_UTIL_DEADLINE_H

#include <stdbool.h>

struct deadline {
	long long at_ms; /* CLOCK_MONOTONIC milliseconds */
	bool forever;
};

/* A deadline timeout_ms from now; timeout_ms < 0 never expires. */
void deadline_start(struct deadline *d, int timeout_ms);

/* Milliseconds left as poll(2) wants them: -1 forever, 0 when passed. */
int deadline_left(const struct deadline *d);

/*
 * Wait until fd is ready for `events` (POLLIN, POLLOUT).  Returns 0 when
 * ready (also on POLLHUP/POLLERR: the next read or write reports it),
 * -ETIMEDOUT when the deadline passes, or another negative errno.
 */
int deadline_poll(int fd, short events, const struct deadline *d);

#endif
