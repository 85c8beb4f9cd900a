/*
 * arpadate: message date strings (arpadate.h).
 */
#include "msg/arpadate.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/*
 * The local time of `t`; a time that has no broken-down form (a qf's T
 * line can hold anything) or whose year does not print as an int reads
 * as the epoch.
 */
static void local_tm(time_t t, struct tm *tm)
{
	if (localtime_r(&t, tm) == NULL || tm->tm_year > 1000000 || tm->tm_year < -1900) {
		time_t zero = 0;
		localtime_r(&zero, tm);
	}
}

void arpadate(time_t t, char *buf, size_t size)
{
	struct tm tm;
	long off;

	local_tm(t, &tm);
	off = tm.tm_gmtoff / 60;
	if (off == 0) {
		snprintf(buf, size, "%s, %d %s %d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
			 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		return;
	}
	snprintf(buf, size, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

void ctimedate(time_t t, char *buf, size_t size)
{
	struct tm tm;
	local_tm(t, &tm);
	snprintf(buf, size, "%s %s %2d %02d:%02d:%02d %d", days[tm.tm_wday], months[tm.tm_mon],
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

void numericdate(time_t t, char *buf, size_t size)
{
	struct tm tm;
	local_tm(t, &tm);
	snprintf(buf, size, "%04d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min);
}
