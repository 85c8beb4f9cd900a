/*
 * listq: the queue listing of `sendmail -bp` (listq.h).
 */
#include "listq.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmdline/args.h"
#include "cf/cf.h"
#include "privs.h"
#include "queue/loadlimit.h"
#include "queue/mailq.h"
#include "queue/queue.h"
#include "queuedir.h"

/* restrictmailq: root and the members of the queue directory's group. */
static bool may_list(struct cf *cf, const struct privs *pv)
{
	uid_t owner;
	gid_t group, groups[256];
	int n;

	if (!(cf->opt.num[OPT_PrivacyOptions] & PRIV_RESTRICTMAILQ) || pv->ruid == 0)
		return true;
	if (queuedir_owner(cf, &owner, &group) != 0)
		return false;
	if (pv->rgid == group)
		return true;
	n = getgroups(sizeof(groups) / sizeof(groups[0]), groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == group)
			return true;
	return false;
}

static void listing_options(struct cf *cf, const struct invocation *inv, struct mailq_options *o)
{
	mailq_options_init(o);
	o->verbose = inv->verbose;
	if (inv->q.select == 'Q')
		o->kind = QUEUE_QUARANTINED;
	else if (inv->q.select == 'L')
		o->kind = QUEUE_LOST;
	o->queue_la = (int)cf->opt.num[OPT_QueueLA];
	o->queue_factor = (long)cf->opt.num[OPT_QueueFactor];
	o->load_average = load_average();
}

int listq_run(struct cf *cf, const struct invocation *inv, const struct privs *pv)
{
	struct mailq_options o;
	struct queue q;
	int rc = queuedir_check(cf, pv, true);

	if (rc != 0)
		return rc;
	if (!may_list(cf, pv)) {
		/* sendmail says so and still prints an empty total */
		fputs("You are not permitted to see the queue\n\t\tTotal requests: 0\n", cf->out);
		return 0;
	}
	rc = queue_open_cf(&q, cf);
	if (rc == 0) {
		listing_options(cf, inv, &o);
		rc = mailq_print(cf->out, &q, &o);
		queue_close(&q);
	}
	if (rc < 0) {
		fprintf(cf->out, "can not read the queue directory %s: %s\n",
		        cf->opt.str[OPT_QueueDirectory], strerror(-rc));
		return EX_OSERR;
	}
	return 0;
}
