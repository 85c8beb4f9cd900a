/*
 * bounce: returning undeliverable mail from the sendmail command
 * (bounce.h).
 */
#include "bounce.h"
#include "clone.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "deliver/deliver.h"
#include "log/events.h"
#include "msg/dsn.h"
#include "msg/envelope.h"
#include "queue/queue.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The null sender in its spellings. */
static bool null_sender(const struct envelope *e)
{
	const char *s = e->sender;
	return s == NULL || *s == '\0' || strcmp(s, "<>") == 0 || strcmp(s, "MAILER-DAEMON") == 0;
}

static const char *double_bounce_address(const struct cf *cf)
{
	const char *a = cf->opt.str[OPT_DoubleBounceAddress];
	return a != NULL && *a != '\0' ? a : "postmaster";
}

/* The value of `e`'s first header `name`, or NULL. */
static const char *header_value(const struct envelope *e, const char *name)
{
	for (const struct env_header *h = e->headers; h != NULL; h = h->next)
		if (strcasecmp(h->name, name) == 0 && h->value != NULL)
			return h->value + strspn(h->value, " \t");
	return NULL;
}

/* The message's precedence: its Precedence: header's P-line value, 0. */
static int precedence(const struct cf *cf, const struct envelope *e)
{
	const char *p = header_value(e, "Precedence");
	size_t n = p != NULL ? strcspn(p, " \t\n") : 0;

	for (int i = 0; p != NULL && i < cf->npriorities; i++)
		if (strlen(cf->priorities[i].name) == n &&
		    strncasecmp(cf->priorities[i].name, p, n) == 0)
			return cf->priorities[i].value;
	return 0;
}

/*
 * Timeout.queuewarn / queuereturn of the message's class, as sendmail
 * 8.17.1's queue runs choose it (mx-queue-timeout-class): a Priority:
 * header saying urgent, normal or non-urgent, else the precedence (above
 * 0 urgent, below non-urgent), else normal.
 */
static long long class_timeout(const struct cf *cf, const struct envelope *e, bool warn)
{
	const char *p = header_value(e, "Priority");
	int pc = precedence(cf, e);
	int urgent = warn ? TO_queuewarn_urgent : TO_queuereturn_urgent;
	int normal = warn ? TO_queuewarn_normal : TO_queuereturn_normal;
	int nonurgent = warn ? TO_queuewarn_nonurgent : TO_queuereturn_nonurgent;
	int cls = pc > 0 ? urgent : pc < 0 ? nonurgent : normal;

	if (p != NULL && strncasecmp(p, "urgent", 6) == 0)
		cls = urgent;
	else if (p != NULL && strncasecmp(p, "non-urgent", 10) == 0)
		cls = nonurgent;
	else if (p != NULL && strncasecmp(p, "normal", 6) == 0)
		cls = normal;
	return cf->opt.timeout[cls];
}

/*
 * No directory on the way to `path` may be writable by group or others
 * (sticky /tmp included), as sendmail's safefile checks want by default.
 */
static bool safe_directories(const char *path)
{
	char *dir = strdup(path);
	bool ok = dir != NULL;

	for (char *slash = dir ? strrchr(dir, '/') : NULL; ok && slash != NULL;
	     slash = strrchr(dir, '/')) {
		struct stat st;
		*slash = '\0';
		if (stat(*dir ? dir : "/", &st) != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
			ok = false;
		if (*dir == '\0')
			break;
	}
	free(dir);
	return ok;
}

/*
 * Append the message `e` (body `fd`) to DeadLetterDrop in the *file*
 * mailer's form with a "From " line.  Only an existing regular file with
 * a single link is used, never followed through a symbolic link: the
 * setgid command must not create files or write where a user points it.
 */
static int dead_letter(struct bounce *b, const struct envelope *e, int fd, const char **where)
{
	const char *path = b->cf->opt.str[OPT_DeadLetterDrop];
	struct macro_env env = {.parent = &b->cf->macros};
	struct strbuf hdrs = STRBUF_INIT, body = STRBUF_INIT, out = STRBUF_INIT;
	struct stat st;
	int dfd, rc = -ENOENT;
	char date[64];
	time_t now = time(NULL);

	*where = path;
	if (path == NULL || *path != '/' || !safe_directories(path))
		return -ENOENT;
	dfd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (fstat(dfd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		close(dfd);
		return -EPERM;
	}
	rc = dsn_file_form(b->cf, &env, e, fd, &hdrs, &body);
	if (rc == 0) {
		strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", localtime(&now));
		sb_printf(&out, "From %s %s\n", null_sender(e) ? "MAILER-DAEMON" : e->sender, date);
		sb_puts(&out, sb_str(&hdrs));
		sb_putc(&out, '\n');
		sb_puts(&out, sb_str(&body));
		sb_putc(&out, '\n');
		if (write(dfd, out.s, out.len) != (ssize_t)out.len || fsync(dfd) != 0)
			rc = -EIO;
	}
	if (close(dfd) != 0 && rc == 0)
		rc = -errno;
	macro_env_clear(&env);
	sb_free(&hdrs);
	sb_free(&body);
	sb_free(&out);
	return rc;
}

static int send_dsn(struct bounce *b, const struct dsn_request *rq, int depth);

/*
 * "QID: DSNQID: DSN: why" once a DSN is queued, `why` the message's last
 * error, as sendmail logs it; "postmaster notify" or "return to sender"
 * (rq->log_label) for the postmaster's notices.
 */
static void log_returned(struct bounce *b, const struct dsn_request *rq, const char *dsn_id)
{
	const char *label = "DSN", *why = rq->log_why ? rq->log_why : rq->orig->message;

	/* the attempt of the submitting command set no queue message: the
	 * first failure's own words are sendmail's last error then */
	for (const struct env_rcpt *r = rq->orig->rcpts; why == NULL && r; r = r->next)
		if (r->result.outcome == RCPT_FAILED)
			why = r->result.reason;
	if (b->log == NULL || why == NULL)
		return;
	if (rq->log_label != NULL)
		label = rq->log_label;
	/* sendmail 8.17.1 says so for the warning and for every notice
	 * after it (mx-queue-timeout-class) */
	else if (rq->kind != DSN_POSTMASTER && envelope_has_flag(rq->orig, 'w'))
		label = "sender notify";
	log_dsn(b->log, rq->orig->id, dsn_id, label, why);
}

/*
 * Does the returned message's size count in a DSN's priority?  As
 * observed in sendmail 8.17.1: in the MSP (submit.cf, UseMSP) a DSN's
 * priority is the returned message's size plus 1024 plus RecipientFactor
 * (pri=31038 for a 14-byte message, 32062 for the notice about that DSN);
 * in the MTA (sendmail.cf) it is RecipientFactor alone (pri=30000, qf
 * P30000) whatever PrivacyOptions, mailer or cause; RET=HDRS counts no size.
 */
static bool size_counts(const struct cf *cf, const struct envelope *e)
{
	return !envelope_has_flag(e, 'n') && cf->opt.num[OPT_UseMSP] != 0;
}

/*
 * A DSN `d` (body `fd`) was refused for good: a notice to the postmaster
 * (DoubleBounceAddress), then DeadLetterDrop.  0 when one of them took it.
 */
static int dsn_refused(struct bounce *b, struct envelope *d, int fd, int depth)
{
	struct dsn_request rq = {0};
	const char *where = NULL;

	if (depth > 0)
		return -1; /* the notice itself: the DSN it is about is saved */
	rq.kind = DSN_POSTMASTER;
	rq.orig = d;
	rq.orig_df = fd;
	/* sendmail counts the DSN's estimated size (its priority's share,
	 * before any retry), not what was written: pri=32062 after 31038 */
	rq.orig_size = d->ntries == 0 ? d->priority - (long long)b->cf->opt.num[OPT_RecipientFactor]
	                              : d->body_size;
	rq.size_in_priority = size_counts(b->cf, d);
	rq.return_to = double_bounce_address(b->cf);
	rq.log_label = "return to sender";
	rq.mime = b->cf->opt.num[OPT_SendMimeErrors] != 0;
	rq.now = time(NULL);
	if (send_dsn(b, &rq, depth + 1) == 0)
		return 0;
	if (dead_letter(b, d, fd, &where) == 0) {
		if (!b->quiet) {
			fprintf(b->cf->out, "MAILER-DAEMON... Saved message in %s\n", where);
			fflush(b->cf->out);
		}
		return 0;
	}
	return -1;
}

/*
 * Queue the DSN of `rq`, durably, and deliver it unless told to wait.
 * 0: sent, queued for later, or saved; -1: refused and nowhere to keep it
 * (it then stays in the client queue).
 */
static int send_dsn(struct bounce *b, const struct dsn_request *rq, int depth)
{
	struct queue_entry qe;
	struct envelope d;
	struct deliver_opts o = {0};
	struct deliver_outcome out = {0};
	struct macro_env env = {.parent = &b->cf->macros};
	bool pending = false;
	int rc, fd;

	if (b->q == NULL)
		return -1;
	rc = queue_new(b->q, &qe, rq->now);
	if (rc != 0)
		return -1;
	envelope_init(&d);
	snprintf(d.id, sizeof(d.id), "%s", qe.id);
	rc = dsn_build(b->cf, &env, rq, &d, qe.df);
	if (rc == 0)
		rc = queue_commit(b->q, &qe, &d);
	else
		queue_abort(b->q, &qe);
	macro_env_clear(&env);
	if (rc == 0)
		log_returned(b, rq, d.id);
	if (rc != 0) {
		envelope_free(&d);
		return -1;
	}
	if (!b->deliver_now) {
		queue_release(&qe);
		envelope_free(&d);
		return 0;
	}
	fd = queue_open_df(b->q, d.id);
	if (fd < 0) {
		queue_release(&qe);
		envelope_free(&d);
		return 0; /* queued: a queue run sends it */
	}
	o.transcript = b->verbose;
	o.cache = b->cache;
	o.log = b->log;
	o.queue_run = b->queue_run; /* HoldExpensive holds it only outside one */
	deliver_envelope(b->cf, &env, &d, fd, &o, &out);
	clone_deliver_all(b, &o, &d, fd, &out);
	macro_env_clear(&env);
	rc = 0;
	if (out.failed > 0) {
		rc = dsn_refused(b, &d, fd, depth);
		/* nowhere to go: the first DSN stays in the client queue for
		 * the administrator (sendmail would lose it); a notice about
		 * it is dropped */
		if (rc != 0 && depth == 0)
			for (struct env_rcpt *r = d.rcpts; r != NULL; r = r->next)
				r->done = false;
	}
	for (struct env_rcpt *r = d.rcpts; r != NULL; r = r->next)
		pending |= !r->done;
	if (pending) {
		struct stat st;
		d.ntries++;
		d.last_try = time(NULL);
		if (fstat(fd, &st) == 0) {
			d.df_dev = st.st_dev;
			d.df_ino = st.st_ino;
		}
		queue_rewrite(b->q, &qe, &d);
	} else {
		queue_remove(b->q, &qe);
	}
	close(fd);
	queue_release(&qe);
	envelope_free(&d);
	return rc;
}

/*
 * ErrorHeader: its text, or the contents of the file it names (read once;
 * a file that cannot be read adds nothing), with macros expanded.
 */
static const char *error_header(struct bounce *b)
{
	const char *v = b->cf->opt.str[OPT_ErrorHeader];
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;

	if (b->error_text_done)
		return b->error_text;
	b->error_text_done = true;
	if (v == NULL || *v == '\0')
		return NULL;
	if (*v == '/') {
		FILE *f = fopen(v, "re");
		char buf[1024];
		size_t n;
		if (f == NULL)
			return NULL;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && raw.len < 65536)
			sb_put(&raw, buf, n);
		fclose(f);
	} else {
		sb_puts(&raw, v);
	}
	{
		struct macro_env env = {.parent = &b->cf->macros};
		char *t = macro_translate(b->cf, sb_str(&raw));
		macro_expand(b->cf, &env, t, &out);
		free(t);
		macro_env_clear(&env);
	}
	sb_free(&raw);
	b->error_text = sb_detach(&out);
	return b->error_text;
}

/*
 * PrivacyOptions=nobodyreturn: sendmail 8.17.1 returns only the header of
 * whatever it returns, mail from its command line as well as over SMTP,
 * in deliveries and queue runs alike (mx-queue-timeout-class); Debian's
 * submit.cf, for the MSP, does not set it.
 */
static bool no_body_return(const struct cf *cf)
{
	return (cf->opt.num[OPT_PrivacyOptions] & PRIV_NOBODYRETN) != 0;
}

static void fill_request(struct bounce *b, struct dsn_request *rq, enum dsn_kind kind,
                         const struct envelope *e, int dffd, long long size)
{
	memset(rq, 0, sizeof(*rq));
	rq->kind = kind;
	rq->orig = e;
	rq->orig_df = dffd;
	rq->orig_size = size;
	rq->size_in_priority = size_counts(b->cf, e);
	rq->mime = b->cf->opt.num[OPT_SendMimeErrors] != 0;
	/* RET=HDRS, or PrivacyOptions=nobodyreturn */
	rq->headers_only = envelope_has_flag(e, 'n') || no_body_return(b->cf);
	rq->error_text = error_header(b);
	rq->pass_dsn_params = true;
	rq->now = time(NULL);
	rq->return_after = class_timeout(b->cf, e, false);
	rq->warn_after = class_timeout(b->cf, e, true);
}

/* deliver_return_takers in this run: its -v transcript, its log. */
static int return_takers(struct bounce *b, struct envelope *e, const char *address,
                         struct env_rcpt **members)
{
	struct deliver_opts o = {.transcript = b->verbose, .log = b->log};

	return deliver_return_takers(b->cf, e, address, &o, members);
}

/*
 * Would the sender's address take a DSN?  sendmail expands it first; an
 * unknown local user, or an alias or .forward of only such, is refused
 * in e's attempt (its to= line, its transcript) and the failures go to the
 * postmaster instead.  Remote addresses are only tried by the DSN itself.
 */
static bool sender_takes(struct bounce *b, struct envelope *e, struct env_rcpt **members)
{
	return return_takers(b, e, e->sender, members) > 0;
}

static struct env_rcpt *plain_member(const char *addr)
{
	struct env_rcpt *m = xcalloc(1, sizeof(*m));

	m->addr = xstrdup(addr);
	return m;
}

/*
 * After a SYSERR sendmail sends the DSN to the postmaster as well, in the
 * same message: the postmaster's address expanded as the sender's (a
 * group is handed to its mailer last first: RCPT To: the postmaster's
 * first, as sendmail).  `*members` (the sender's, or NULL: the sender
 * itself) becomes the whole list.
 */
static void add_postmaster(struct bounce *b, struct envelope *e, struct env_rcpt **members)
{
	struct env_rcpt *pm = NULL, **tail;

	if (return_takers(b, e, "postmaster", &pm) == 0)
		return;
	if (pm == NULL)
		pm = plain_member("postmaster");
	if (*members == NULL)
		*members = plain_member(e->sender);
	for (tail = members; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = pm;
}

/* The failures of `e` go back to its sender (or the postmaster). */
static void return_failures(struct bounce *b, struct envelope *e, int dffd, long long size)
{
	struct dsn_request rq;
	const char *pm = b->cf->opt.str[OPT_PostmasterCopy];
	struct env_rcpt *members = NULL;

	if (null_sender(e)) {
		if (dsn_count(e, DSN_POSTMASTER) == 0)
			return;
		fill_request(b, &rq, DSN_POSTMASTER, e, dffd, size);
		rq.return_to = double_bounce_address(b->cf);
		rq.pass_dsn_params = false;
		/* a DSN sdmail made (qf flag r) comes back to it; a message
		 * taken with the null sender is the postmaster's notice */
		rq.log_label = envelope_has_flag(e, 'r') ? "return to sender" : "postmaster notify";
		send_dsn(b, &rq, 0); /* refused: dead.letter, or kept */
		return;
	}
	if (dsn_count(e, DSN_FAILURE) > 0 && sender_takes(b, e, &members)) {
		if (e->notify_postmaster)
			add_postmaster(b, e, &members);
		fill_request(b, &rq, DSN_FAILURE, e, dffd, size);
		rq.return_to = e->sender;
		rq.members = members;
		send_dsn(b, &rq, 0);
		envelope_rcpt_free_list(members);
	} else if (dsn_count(e, DSN_FAILURE) > 0) {
		/* nothing here takes it: the postmaster's notice at once */
		fill_request(b, &rq, DSN_POSTMASTER, e, dffd, size);
		rq.return_to = double_bounce_address(b->cf);
		rq.pass_dsn_params = false;
		rq.log_label = "postmaster notify";
		send_dsn(b, &rq, 0);
	}
	if (pm != NULL && *pm != '\0' && dsn_count(e, DSN_POSTMASTER) > 0) {
		fill_request(b, &rq, DSN_POSTMASTER, e, dffd, size);
		rq.return_to = pm;
		rq.headers_only = true;
		rq.pass_dsn_params = false;
		send_dsn(b, &rq, 0);
	}
}

long long entry_size(const struct envelope *e, int dffd)
{
	struct stat st;
	long long n = fstat(dffd, &st) == 0 ? (long long)st.st_size : e->body_size;

	/* as sendmail counts a queued message: the df and its H lines */
	for (const struct env_header *h = e->headers; h != NULL; h = h->next)
		n += 2 + (long long)(h->cond ? strlen(h->cond) : 0) + (long long)strlen(h->name) +
		     1 + (long long)strlen(h->value ? h->value : "");
	return n;
}

int bounce_after_attempt(struct bounce *b, struct envelope *e, int dffd, long long size, int status)
{
	char mode = (char)b->cf->opt.num[OPT_ErrorMode];
	struct dsn_request rq;

	if (dsn_count(e, DSN_POSTMASTER) > 0 && mode != 'q' && b->q == NULL) {
		/* no client queue to keep a DSN in: say what failed instead */
		for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
			if (r->result.outcome == RCPT_FAILED && !b->quiet)
				fprintf(b->cf->out, "%s... %s\n", r->addr,
				        r->result.reason ? r->result.reason
				                         : "Service unavailable");
		fflush(b->cf->out);
	} else if (dsn_count(e, DSN_POSTMASTER) > 0 && mode != 'q') {
		return_failures(b, e, dffd, size);
	}
	/* PrivacyOptions=noreceipts is for the SMTP server: sendmail's
	 * command sends receipts with Debian's goaway too */
	if (!null_sender(e) && dsn_count(e, DSN_SUCCESS) > 0) {
		fill_request(b, &rq, DSN_SUCCESS, e, dffd, size);
		/* a receipt returns the body only when RET=FULL was asked for */
		rq.headers_only = !envelope_has_flag(e, 'd') || envelope_has_flag(e, 'n');
		rq.return_to = e->sender;
		send_dsn(b, &rq, 0);
	}
	return mode == 'e' ? 0 : status;
}

void bounce_timeouts(struct bounce *b, struct envelope *e, int dffd)
{
	long long ret = class_timeout(b->cf, e, false), warn = class_timeout(b->cf, e, true);
	long long size = entry_size(e, dffd);
	time_t now = time(NULL);
	struct dsn_request rq;
	bool pending = false;

	for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		pending |= !r->done;
	if (!pending)
		return;
	if (ret > 0 && now - e->ctime >= ret) {
		char iv[96];
		struct strbuf why = STRBUF_INIT;
		dsn_interval(ret, iv, sizeof(iv));
		sb_printf(&why, "Cannot send message for %s", iv);
		if (b->verbose != NULL) {
			fprintf(b->verbose, "%s\n", sb_str(&why));
			fflush(b->verbose);
		}
		for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
			if (r->done)
				continue;
			r->result.outcome = RCPT_FAILED;
			snprintf(r->result.status, sizeof(r->result.status), "4.4.7");
			/* the reason stays the last reply, if any: sendmail
			 * shows no "(reason: ...)" after a refused connection */
			r->done = true;
		}
		if (null_sender(e)) {
			sb_free(&why);
			return_failures(b, e, dffd, size);
			return;
		}
		fill_request(b, &rq, DSN_FAILURE, e, dffd, size);
		rq.expired_after = ret;
		rq.return_to = e->sender;
		rq.log_why = sb_str(&why);
		if (dsn_count(e, DSN_FAILURE) > 0)
			send_dsn(b, &rq, 0);
		sb_free(&why);
		return;
	}
	/* no warning for mail of a precedence below 0 (bulk, junk, list) */
	if (warn > 0 && now - e->ctime >= warn && !envelope_has_flag(e, 'w') && !null_sender(e) &&
	    precedence(b->cf, e) >= 0) {
		char iv[96], m[160];
		envelope_add_flag(e, 'w');
		/* the entry's M line says so, as sendmail's does */
		dsn_interval(warn, iv, sizeof(iv));
		snprintf(m, sizeof(m), "Warning: could not send message for past %s", iv);
		envelope_set(&e->message, m);
		if (dsn_count(e, DSN_DELAY) == 0)
			return;
		fill_request(b, &rq, DSN_DELAY, e, dffd, size);
		rq.return_to = e->sender;
		send_dsn(b, &rq, 0);
	}
}

void bounce_done(struct bounce *b)
{
	free(b->error_text);
	b->error_text = NULL;
	b->error_text_done = false;
}
