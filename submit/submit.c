/*
 * submit: taking a message into the client queue and on to the MTA
 * (submit.h).
 */
#include "submit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "bounce.h"
#include "clone.h"
#include "cmdline/args.h"
#include "cf/cf.h"
#include "cf/macro.h"
#include "deliver/deliver.h"
#include "log/events.h"
#include "log/log.h"
#include "message.h"
#include "msg/collect.h"
#include "msg/envelope.h"
#include "poke.h"
#include "privs.h"
#include "qrun.h"
#include "queue/loadlimit.h"
#include "queue/queue.h"
#include "stats/stats.h"
#include "util/strbuf.h"

static void fill_request(const struct cf *cf, const struct invocation *inv, bool trusted,
			 struct submit_request *req)
{
	memset(req, 0, sizeof(*req));
	req->from = inv->from;
	req->fullname = inv->fullname;
	req->read_recipients = inv->read_recipients;
	req->ignore_dots = cf->opt.num[OPT_IgnoreDots] != 0;
	req->notify = inv->notify;
	req->ret = inv->ret;
	req->envid = inv->envid;
	req->bodytype = inv->bodytype;
	req->hop_count = inv->hop_count;
	req->trusted = trusted;
	req->rcpts = inv->rest;
	req->nrcpts = inv->nrest;
}

static const char *header_value(const struct envelope *e, const char *name)
{
	for (const struct env_header *h = e->headers; h != NULL; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

/* "QID: to=ADDR, delay=00:00:00, mailer=M, pri=P, stat=queued" for each
 * recipient of a message only queued (-odq, -odd), as sendmail logs them */
static void log_queued(struct log_ctx *lc, const struct envelope *e)
{
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		log_to_queued(lc, e->id, r->addr, r->mailer, e->priority);
}

/*
 * "NOQUEUE: connect from root@localhost", then "from=root, size=14,
 * class=0, nrcpts=1, msgid=<...>, relay=root@localhost".
 */
static void log_submission(struct log_ctx *lc, const struct envelope *e, long long size)
{
	struct log_from f = {0};
	const char *msgid = header_value(e, "Message-Id");
	struct strbuf id = STRBUF_INIT;
	int n = 0;

	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		n++;
	if (msgid != NULL) {
		/* the header's value without its folding white space */
		for (const char *p = msgid; *p; p++)
			if (*p != '\n' && !(p == msgid && (*p == ' ' || *p == '\t')))
				sb_putc(&id, *p);
	}
	f.qid = e->id;
	f.from = e->sender ? e->sender : "";
	f.size = size;
	f.nrcpts = n;
	f.msgid = msgid ? sb_str(&id) : NULL;
	f.relay = envelope_get_macro(e, "_");
	if (f.relay != NULL)
		log_connect_from(lc, "NOQUEUE", f.relay);
	log_from(lc, &f);
	sb_free(&id);
}

/* The statistics file (StatusFile): a message taken in from a sender of that mailer. */
static void count_submission(const struct cf *cf, int from_mailer, long long size)
{
	if (from_mailer >= 0)
		(void)stats_add(cf->opt.str[OPT_StatusFile], STATS_FROM, from_mailer,
				(uint64_t)size);
}

/* One attempt, then the failures returned (bounce.h); the exit status. */
static int attempt(struct cf *cf, const struct invocation *inv, struct queue *q,
		   struct envelope *e, int dffd, long long msgsize, struct deliver_outcome *out)
{
	struct deliver_opts o = {0};
	struct log_ctx lc;
	struct macro_env env = {.parent = &cf->macros};
	struct bounce b = {.cf = cf, .q = q, .verbose = inv->verbose ? cf->out : NULL};

	b.cache = deliver_cache_new(cf);
	b.deliver_now = true;
	o.transcript = b.verbose;
	o.msgsize = msgsize;
	o.cache = b.cache;
	o.submitted = true;
	qrun_log_open(&lc, cf, inv);
	o.log = &lc;
	b.log = &lc;
	deliver_envelope(cf, &env, e, dffd, &o, out);
	clone_deliver_all(&b, &o, e, dffd, out);
	macro_env_clear(&env);
	out->status = bounce_after_attempt(&b, e, dffd, msgsize, out->status);
	deliver_cache_close(b.cache, b.verbose);
	bounce_done(&b);
	return out->status;
}

static bool pending(const struct envelope *e)
{
	for (const struct env_rcpt *r = e->rcpts; r; r = r->next)
		if (!r->done)
			return true;
	return false;
}

/* After an attempt: drop the entry when nothing is left, else keep it. */
static int settle(struct queue *q, struct queue_entry *qe, struct envelope *e,
                  const struct deliver_outcome *out, struct log_ctx *lc)
{
	if (!pending(e)) {
		qrun_log_done(lc, e);
		return queue_remove(q, qe);
	}
	e->ntries++;
	e->last_try = time(NULL);
	(void)out;
	return queue_rewrite(q, qe, e);
}

/* No client queue: straight to the MTA, or exit 75 saying so. */
static int submit_without_queue(struct cf *cf, const struct invocation *inv,
				const struct submit_request *req, FILE *in, const char *why)
{
	struct envelope e;
	struct collect_result cr;
	struct deliver_outcome out;
	struct log_ctx lc;
	int from_mailer = -1;
	int fd = memfd_create("sdmail-df", MFD_CLOEXEC);
	FILE *df = fd >= 0 ? fdopen(dup(fd), "w") : NULL;
	int rc;

	envelope_init(&e);
	snprintf(e.id, sizeof(e.id), "%s", "NOQUEUE");
	if (df == NULL) {
		fprintf(cf->out, "sendmail: cannot collect the message: %s\n", strerror(errno));
		return EX_OSERR;
	}
	rc = message_build(cf, req, in, df, &e, &cr, &from_mailer);
	fclose(df);
	if (rc != 0 && e.rcpts == NULL) {
		envelope_free(&e);
		close(fd);
		return rc;
	}
	qrun_log_open(&lc, cf, inv);
	log_submission(&lc, &e, cr.header_bytes + cr.body_bytes);
	count_submission(cf, from_mailer, cr.header_bytes + cr.body_bytes);
	attempt(cf, inv, NULL, &e, fd, cr.header_bytes + cr.body_bytes, &out);
	close(fd);
	envelope_free(&e);
	if (out.deferred > 0) {
		fprintf(cf->out,
			"sendmail: message not sent: the MTA did not take it and it cannot be "
			"queued (%s)\n",
			why);
		return EX_TEMPFAIL;
	}
	return out.status;
}

int submit_run(struct cf *cf, const struct invocation *inv, struct privs *pv, FILE *in)
{
	struct submit_request req;
	struct queue q;
	struct queue_entry qe;
	struct envelope e;
	struct collect_result cr;
	struct deliver_outcome out = {0};
	struct log_ctx lc;
	int from_mailer = -1;
	char mode = (char)cf->opt.num[OPT_DeliveryMode];
	int rc, dffd;

	fill_request(cf, inv, privs_trusted(pv, cf), &req);
	if (!req.read_recipients && req.nrcpts == 0) {
		fputs("Recipient names must be specified\n", cf->out);
		return EX_USAGE;
	}
	/* sendmail queues the message anyway and exits 64; sdmail takes
	 * nothing it reports as refused */
	if (req.bodytype != NULL && strcasecmp(req.bodytype, "7BIT") != 0 &&
	    strcasecmp(req.bodytype, "8BITMIME") != 0) {
		fprintf(cf->out, "Illegal body type %s\n", req.bodytype);
		return EX_USAGE;
	}
	/* -v watches the delivery: sendmail delivers interactively then */
	if (inv->verbose)
		mode = 'i';
	rc = queue_open_cf(&q, cf);
	if (rc == 0) {
		rc = queue_new(&q, &qe, time(NULL));
		if (rc != 0)
			queue_close(&q);
	}
	if (rc != 0) {
		char why[256];
		snprintf(why, sizeof(why), "%s: %s",
			 cf->opt.str[OPT_QueueDirectory] ? cf->opt.str[OPT_QueueDirectory] : "no queue",
			 strerror(-rc));
		return submit_without_queue(cf, inv, &req, in, why);
	}

	envelope_init(&e);
	snprintf(e.id, sizeof(e.id), "%s", qe.id);
	rc = message_build(cf, &req, in, qe.df, &e, &cr, &from_mailer);
	if (rc != 0 && e.rcpts == NULL) {
		queue_abort(&q, &qe);
		queue_close(&q);
		envelope_free(&e);
		return rc;
	}
	rc = queue_commit(&q, &qe, &e);
	if (rc != 0) {
		fprintf(cf->out, "sendmail: cannot queue the message in %s: %s\n", q.dir,
			strerror(-rc));
		queue_close(&q);
		envelope_free(&e);
		return EX_TEMPFAIL;
	}
	/* from here on the message is safe on disk */
	qrun_log_open(&lc, cf, inv);
	log_submission(&lc, &e, cr.header_bytes + cr.body_bytes);
	if ((mode == 'i' || mode == 'b') && load_queues_message(cf, e.priority))
		mode = 'q'; /* QueueLA */
	if (mode == 'q' || mode == 'd')
		log_queued(&lc, &e);
	count_submission(cf, from_mailer, cr.header_bytes + cr.body_bytes);
	if (mode == 'b' && !inv->verbose) {
		pid_t pid = fork();
		if (pid > 0) {
			/* the child holds the lock now */
			close(qe.lock_fd);
			qe.lock_fd = -1;
			queue_close(&q);
			envelope_free(&e);
			return 0;
		}
		if (pid == 0)
			setsid();
		/* fork failure: deliver in the foreground */
	}
	if (mode == 'i' || mode == 'b') {
		dffd = queue_open_df(&q, e.id);
		if (dffd >= 0) {
			attempt(cf, inv, &q, &e, dffd, cr.header_bytes + cr.body_bytes, &out);
			close(dffd);
			settle(&q, &qe, &e, &out, &lc);
		}
	}
	queue_release(&qe);
	queue_close(&q);
	/* unlocked now: the runner can take what is left at once */
	if (pending(&e))
		poke_msp_runner(e.id);
	envelope_free(&e);
	return out.status;
}
