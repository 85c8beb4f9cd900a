/*
 * deadline: monotonic deadlines and waiting for a descriptor (deadline.h).
 */
#include "util/deadline.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <time.h>

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void deadline_start(struct deadline *d, int timeout_ms)
{
	d->forever = timeout_ms < 0;
	d->at_ms = d->forever ? 0 : now_ms() + timeout_ms;
}

int deadline_left(const struct deadline *d)
{
	long long left;

	if (d->forever)
		return -1;
	left = d->at_ms - now_ms();
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

int deadline_poll(int fd, short events, const struct deadline *d)
{
	for (;;) {
		struct pollfd p = {.fd = fd, .events = events};
		int left = deadline_left(d);
		int r = poll(&p, 1, left);

		if (r > 0)
			return 0;
		if (r == 0) {
			if (deadline_left(d) == 0)
				return -ETIMEDOUT;
			continue;
		}
		if (errno != EINTR)
			return -errno;
	}
}
