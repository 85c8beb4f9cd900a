/*
 * clone: queueing and delivering the clones for list owners (clone.h).
 */
#include "clone.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "cf/cf.h"
#include "cf/macro.h"
#include "deliver/deliver.h"
#include "log/events.h"
#include "msg/envelope.h"
#include "qrun.h"
#include "queue/queue.h"

/* The parent's body into the clone's new df. */
static int copy_body(int dffd, FILE *to)
{
	char buf[16384];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(dffd, buf, sizeof(buf), off)) > 0) {
		if (fwrite(buf, 1, (size_t)n, to) != (size_t)n)
			return -EIO;
		off += n;
	}
	return n < 0 ? -errno : 0;
}

static int queue_clone(struct queue *q, struct envelope *c, int dffd, struct queue_entry *qe)
{
	int rc = queue_new(q, qe, time(NULL));

	if (rc != 0)
		return rc;
	rc = copy_body(dffd, qe->df);
	if (rc == 0)
		return queue_commit(q, qe, c);
	queue_abort(q, qe);
	return rc;
}

/* Not queued: the members stay the parent's, pending. */
static void give_back(struct envelope *parent, struct envelope *c)
{
	struct env_rcpt **tail = &parent->rcpts;

	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = c->rcpts;
	c->rcpts = NULL;
}

static void deliver_clones(const struct bounce *proto, const struct deliver_opts *o,
                           struct envelope *parent, int dffd, struct deliver_outcome *out,
                           int depth);

/* One attempt of the queued clone c, as a queue run makes one. */
static void attempt(const struct bounce *proto, const struct deliver_opts *o, struct envelope *c,
                    struct queue_entry *qe, int depth)
{
	struct bounce b = *proto;
	struct deliver_opts co = *o;
	struct deliver_outcome out;
	struct macro_env env = {.parent = &proto->cf->macros};
	int fd = queue_open_df(proto->q, c->id);

	if (fd < 0)
		return; /* queued: a queue run sends it */
	b.error_text = NULL;
	b.error_text_done = false;
	co.submitted = false; /* its sender is the owner, not the caller */
	co.msgsize = 0;
	deliver_envelope(proto->cf, &env, c, fd, &co, &out);
	deliver_clones(proto, o, c, fd, &out, depth + 1);
	bounce_after_attempt(&b, c, fd, entry_size(c, fd), out.status);
	bounce_done(&b);
	qrun_settle(proto->q, qe, c, fd, o->log, proto->queue_run);
	macro_env_clear(&env);
	close(fd);
}

static void deliver_clones(const struct bounce *proto, const struct deliver_opts *o,
                           struct envelope *parent, int dffd, struct deliver_outcome *out,
                           int depth)
{
	long max_depth = proto->cf->opt.num[OPT_MaxAliasRecursion];

	for (int i = 0; i < out->nclones; i++) {
		struct envelope *c = out->clones[i];
		struct queue_entry qe;

		if (proto->q == NULL || (max_depth > 0 && depth > max_depth) ||
		    queue_clone(proto->q, c, dffd, &qe) != 0) {
			give_back(parent, c);
			continue;
		}
		if (o->log != NULL)
			log_clone(o->log, parent->id, c->id, c->sender);
		attempt(proto, o, c, &qe, depth);
		queue_release(&qe);
	}
	deliver_outcome_free(out);
}

void clone_deliver_all(const struct bounce *b, const struct deliver_opts *o,
                       struct envelope *parent, int dffd, struct deliver_outcome *out)
{
	deliver_clones(b, o, parent, dffd, out, 0);
}
