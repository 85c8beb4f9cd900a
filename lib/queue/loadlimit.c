/*
 * loadlimit: sendmail's load average limits (loadlimit.h).
 */
#include "queue/loadlimit.h"

#include <stdio.h>
#include <stdlib.h>

#include "cf/cf.h"
#include "cf/options.h"

/* The first number of /proc/loadavg, as sendmail reads it on Linux (glibc's
 * getloadavg(3) asks sysinfo(2) instead); getloadavg(3) when it is not there. */
int load_average(void)
{
	FILE *f = fopen("/proc/loadavg", "re");
	double la[1];
	int n;

	if (f != NULL) {
		n = fscanf(f, "%lf", &la[0]);
		fclose(f);
	} else {
		n = getloadavg(la, 1);
	}
	if (n != 1 || la[0] < 0)
		return 0;
	return (int)(la[0] + 0.5);
}

bool load_queues(int la, long long queue_la, long long queue_factor, long long priority)
{
	if (la < queue_la)
		return false;
	return priority > queue_factor / (la - queue_la + 1);
}

bool load_queues_message(const struct cf *cf, long long priority)
{
	return load_queues(load_average(), cf->opt.num[OPT_QueueLA], cf->opt.num[OPT_QueueFactor],
	                   priority);
}

bool load_skips_queue_run(const struct cf *cf)
{
	return load_queues_message(cf, cf->opt.num[OPT_RecipientFactor]);
}
