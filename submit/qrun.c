/*
 * qrun: queue runs of the sendmail command (qrun.h).
 */
#include "qrun.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cmdline/args.h"
#include "cf/cf.h"
#include "cf/macro.h"
#include "bounce.h"
#include "clone.h"
#include "deliver/deliver.h"
#include "log/events.h"
#include "log/log.h"
#include "msg/envelope.h"
#include "privs.h"
#include "queue/loadlimit.h"
#include "queue/queue.h"
#include "queuedir.h"

static bool is_trusted_user(const struct cf *cf, uid_t uid)
{
	const char *tu = cf->opt.str[OPT_TrustedUser];
	struct passwd *pw;

	if (uid == 0)
		return true;
	if (tu == NULL || *tu == '\0')
		return false;
	pw = getpwnam(tu);
	if (pw == NULL) {
		char *end;
		unsigned long n = strtoul(tu, &end, 10);
		return *end == '\0' && n == uid;
	}
	return pw->pw_uid == uid;
}

/* restrictqrun: root, the TrustedUser and the owner of the queue. */
static bool may_run(struct cf *cf, const struct privs *pv)
{
	uid_t owner;
	gid_t group;

	if (!(cf->opt.num[OPT_PrivacyOptions] & PRIV_RESTRICTQRUN))
		return true;
	if (is_trusted_user(cf, pv->ruid))
		return true;
	return queuedir_owner(cf, &owner, &group) == 0 && owner == pv->ruid;
}

static bool contains(const char *hay, const char *needle, bool fold)
{
	if (hay == NULL)
		return false;
	return (fold ? strcasestr(hay, needle) : strstr(hay, needle)) != NULL;
}

/* Does entry `e` match -qI/-qR/-qS? */
static bool selected(const struct queue_run_spec *spec, const struct envelope *e)
{
	bool hit = false;
	const char *pat = spec->pattern ? spec->pattern : "";

	switch (spec->select) {
	case 'I':
		hit = contains(e->id, pat, false);
		break;
	case 'S':
		hit = contains(e->sender, pat, true);
		break;
	case 'R':
		for (const struct env_rcpt *r = e->rcpts; r && !hit; r = r->next)
			hit = !r->done && contains(r->addr, pat, true);
		break;
	case 'Q':
		hit = contains(e->quarantine, pat, true);
		break;
	default:
		return e->quarantine == NULL;
	}
	return spec->negate ? !hit : hit;
}

void qrun_log_open(struct log_ctx *lc, const struct cf *cf, const struct invocation *inv)
{
	log_init(lc, inv->log_tag, (long)cf->opt.num[OPT_LogLevel], LOG_FALLBACK_NONE, NULL);
}

void qrun_log_done(struct log_ctx *lc, const struct envelope *e)
{
	log_done(lc, e->id, (long)(time(NULL) - e->ctime), e->ntries + 1);
}

void qrun_settle(struct queue *q, struct queue_entry *qe, struct envelope *e, int dffd,
                 struct log_ctx *lc, bool queue_run)
{
	struct stat st;
	bool pending = false;

	for (struct env_rcpt *r = e->rcpts; r; r = r->next)
		pending |= !r->done;
	if (!pending) {
		if (lc != NULL)
			qrun_log_done(lc, e);
		queue_remove(q, qe);
		return;
	}
	e->ntries++;
	e->last_try = time(NULL);
	if (!queue_run) /* the first attempt right after submission */
		return (void)queue_rewrite(q, qe, e);
	if (fstat(dffd, &st) == 0) {
		e->df_dev = st.st_dev;
		e->df_ino = st.st_ino;
	}
	queue_rewrite(q, qe, e);
}

/* One entry of a run: lock, check, deliver, settle. */
static void run_entry(struct cf *cf, const struct invocation *inv, struct queue *q,
                      struct envelope *e, struct queue_entry *qe, int seq, int total,
                      struct deliver_cache *cache, const struct log_ctx *log)
{
	struct bounce b = {.cf = cf, .q = q, .cache = cache, .queue_run = true};
	struct deliver_opts o = {0};
	struct deliver_outcome out;
	struct macro_env env = {.parent = &cf->macros};
	struct log_ctx lc;
	int dffd = queue_open_df(q, e->id);

	if (dffd < 0)
		return; /* no body: left for the MTA's lost-file handling */
	if (inv->verbose) {
		fprintf(cf->out, "\nRunning %s/%s (sequence %d of %d)\n", q->dir, e->id, seq,
		        total);
		fflush(cf->out);
		o.transcript = cf->out;
	}
	if (e->quarantine != NULL && e->quarantine[0] != '\0') {
		/* held: a -qQ run shows it but delivers nothing, as sendmail 8.17.1 */
		close(dffd);
		return;
	}
	b.verbose = o.transcript;
	b.deliver_now = true;
	o.show_failures = inv->verbose;
	o.queue_run = true;
	o.cache = cache;
	if (log != NULL)
		lc = *log;
	else
		qrun_log_open(&lc, cf, inv);
	o.log = &lc;
	b.log = &lc;
	/* the retry's priority is the one its to= lines show, as in sendmail */
	e->priority += (long)cf->opt.num[OPT_RetryFactor];
	deliver_envelope(cf, &env, e, dffd, &o, &out);
	clone_deliver_all(&b, &o, e, dffd, &out);
	bounce_after_attempt(&b, e, dffd, entry_size(e, dffd), out.status);
	bounce_timeouts(&b, e, dffd);
	bounce_done(&b);
	qrun_settle(q, qe, e, dffd, &lc, true);
	close(dffd);
	macro_env_clear(&env);
}

int qrun_deliver_now(struct cf *cf, const char *id, struct log_ctx *log)
{
	return qrun_deliver_verbose(cf, id, log, NULL, false);
}

/* One attempt at entry `id` with the caller's connection cache. */
static int deliver_entry(struct cf *cf, const char *id, struct log_ctx *log, FILE *transcript,
			 bool submitted, struct deliver_cache *cache)
{
	struct queue q;
	struct queue_entry qe;
	struct envelope e;
	struct deliver_opts o = {0};
	struct deliver_outcome out = {0};
	struct macro_env env = {.parent = &cf->macros};
	int dffd, rc = queue_open_cf(&q, cf);

	if (rc != 0)
		return rc;
	rc = queue_lock(&q, id, &qe, &e);
	if (rc == 0) {
		dffd = queue_open_df(&q, id);
		if (dffd >= 0) {
			struct bounce b = {.cf = cf, .q = &q, .deliver_now = true, .quiet = true};
			/* what the rulesets and alias expansion say goes nowhere:
			 * standard output may be the SMTP client's (-bs) */
			FILE *saved_out = cf->out, *null = fopen("/dev/null", "we");
			if (null != NULL)
				cf->out = null;
			b.cache = cache;
			b.log = log;
			o.cache = b.cache;
			o.log = log;
			o.transcript = transcript;
			o.submitted = submitted;
			deliver_envelope(cf, &env, &e, dffd, &o, &out);
			clone_deliver_all(&b, &o, &e, dffd, &out);
			bounce_after_attempt(&b, &e, dffd, entry_size(&e, dffd), out.status);
			bounce_done(&b);
			qrun_settle(&q, &qe, &e, dffd, NULL, false);
			close(dffd);
			cf->out = saved_out;
			if (null != NULL)
				fclose(null);
		}
		queue_release(&qe);
		envelope_free(&e);
	}
	macro_env_clear(&env);
	queue_close(&q);
	return rc;
}

int qrun_deliver_verbose(struct cf *cf, const char *id, struct log_ctx *log, FILE *transcript,
                         bool submitted)
{
	struct deliver_cache *cache = deliver_cache_new(cf);
	int rc = deliver_entry(cf, id, log, transcript, submitted, cache);

	deliver_cache_close(cache, NULL);
	return rc;
}

int qrun_deliver_cached(struct cf *cf, const char *id, struct log_ctx *log,
			struct deliver_cache *cache)
{
	return deliver_entry(cf, id, log, NULL, false, cache);
}

/*
 * An entry whose qf does not read: when a line has no known type, set
 * aside as Qf with sendmail 8.17.1's SYSERR and "Losing" lines and
 * EX_SOFTWARE; when cut short (no final "." line), left as it is with
 * sendmail's SYSERR "incomplete queue file read" and EX_SOFTWARE, none of
 * its recipients tried; otherwise (empty) left as it is, 0.  Stray df, tf
 * and xf files are never touched: sendmail's runs leave them too.
 */
static int lose_entry(struct cf *cf, const struct invocation *inv, struct queue *q, const char *id,
                      int seq, int total, const struct log_ctx *log)
{
	char line[512], text[640], path[QUEUE_ID_MAX + 8];
	struct passwd *pw = getpwuid(getuid());
	struct log_ctx lc;
	int lineno = 0, lost;

	if (inv->verbose)
		fprintf(cf->out, "\nRunning %s/%s (sequence %d of %d)\n", q->dir, id, seq, total);
	lost = queue_lose(q, id, &lineno, line, sizeof(line));
	if (lost != 1 && lost != 2)
		return 0;
	snprintf(path, sizeof(path), "./qf%s", id);
	if (lost == 2)
		snprintf(text, sizeof(text), "readqf: %s: incomplete queue file read", path);
	else
		snprintf(text, sizeof(text), "readqf: %s: line %d: bad line \"%s\"", path, lineno,
		         line);
	if (inv->verbose)
		fprintf(cf->out, "%s\n", text);
	fflush(cf->out);
	if (log != NULL)
		lc = *log;
	else
		qrun_log_open(&lc, cf, inv);
	log_syserr(&lc, id, pw != NULL ? pw->pw_name : "root", text);
	if (lost == 1)
		log_losing(&lc, id, path, "unrecognized line");
	return EX_SOFTWARE;
}

/*
 * Entries this run will work on: selected, old enough, not locked.  A
 * -qQ run works on the quarantined ones (hf) and leaves them quarantined,
 * any other run never sees them, as in sendmail 8.17.1.  MaxQueueRunSize
 * cuts the list to its best priorities, logged as sendmail does (which
 * takes the first entries its directory lists instead).
 */
static int gather(struct cf *cf, const struct invocation *inv, struct queue *q,
                  char (**ids)[QUEUE_ID_MAX], struct log_ctx *log)
{
	struct queue_item *items;
	int kind = inv->q.select == 'Q' && !inv->q.negate ? QUEUE_QUARANTINED : QUEUE_ACTIVE;
	int n = queue_list(q, kind, NULL, NULL, &items), kept = 0;
	time_t now = time(NULL);
	long long min_age = cf->opt.num[OPT_MinQueueAge];
	long long max = cf->opt.num[OPT_MaxQueueRunSize];

	if (n < 0)
		return n;
	if (max > 0 && n > max) {
		struct log_ctx lc;
		if (log != NULL)
			lc = *log;
		else
			qrun_log_open(&lc, cf, inv);
		log_worklist_maxed(&lc, q->dir, max);
		n = (int)max;
	}
	*ids = calloc((size_t)n + 1, sizeof(**ids));
	for (int i = 0; i < n && *ids; i++) {
		struct queue_entry qe;
		struct envelope e;
		const char *id = items[i].name + 2;
		int rc = queue_lock(q, id, &qe, &e);
		if (rc == -EINVAL && kind == QUEUE_ACTIVE) {
			/* unreadable: its turn sets it aside (lose_entry) */
			snprintf((*ids)[kept++], QUEUE_ID_MAX, "%s", id);
			continue;
		}
		if (rc != 0)
			continue;
		if (selected(&inv->q, &e) && (min_age <= 0 || e.last_try + min_age <= now))
			snprintf((*ids)[kept++], QUEUE_ID_MAX, "%s", id);
		queue_release(&qe);
		envelope_free(&e);
	}
	free(items);
	return *ids ? kept : -ENOMEM;
}

/* QueueLA: sendmail skips the whole run, saying so with -v */
static bool load_too_high(struct cf *cf, const struct invocation *inv, struct log_ctx *log)
{
	struct log_ctx lc;

	if (!load_skips_queue_run(cf))
		return false;
	if (inv->verbose) {
		fputs("Skipping queue run -- load average too high\n\n", cf->out);
		fflush(cf->out);
	}
	if (log != NULL)
		lc = *log;
	else
		qrun_log_open(&lc, cf, inv);
	log_queue_run_skipped(&lc);
	return true;
}

int qrun_once(struct cf *cf, const struct invocation *inv, struct log_ctx *log)
{
	struct queue q;
	char(*ids)[QUEUE_ID_MAX] = NULL;
	struct deliver_cache *cache;
	int n, status = 0, rc;

	if (load_too_high(cf, inv, log))
		return 0;
	rc = queue_open_cf(&q, cf);
	if (rc != 0)
		return EX_CONFIG;
	n = gather(cf, inv, &q, &ids, log);
	cache = deliver_cache_new(cf);
	for (int i = 0; i < n; i++) {
		struct queue_entry qe;
		struct envelope e;
		int locked = queue_lock(&q, ids[i], &qe, &e);
		if (locked == -EINVAL) {
			status = lose_entry(cf, inv, &q, ids[i], i + 1, n, log);
			continue;
		}
		if (locked != 0)
			continue; /* taken or finished meanwhile */
		run_entry(cf, inv, &q, &e, &qe, i + 1, n, cache, log);
		status = 0;
		queue_release(&qe);
		envelope_free(&e);
	}
	deliver_cache_close(cache, inv->verbose ? cf->out : NULL);
	free(ids);
	queue_close(&q);
	fflush(cf->out);
	/* sendmail -q -v: the last entry's status; without -v sendmail's
	 * parent has left with 0 while its child runs the queue */
	return n < 0 ? EX_OSERR : inv->verbose ? status : 0;
}

void qrun_etrn(struct cf *cf, const char *match, struct log_ctx *log, int rfd, int wfd)
{
	struct invocation inv = {0};
	pid_t pid = fork();
	int null;

	if (pid != 0)
		return; /* the run goes on alone; an error to fork loses only it */
	close(rfd);
	if (wfd != rfd)
		close(wfd);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	inv.q.run = true;
	inv.q.select = match != NULL ? 'R' : 0;
	inv.q.pattern = match;
	_exit(qrun_once(cf, &inv, log) == 0 ? 0 : 1);
}

/* sendmail -q30m: detach unless told to stay, then run forever. */
static int run_periodically(struct cf *cf, const struct invocation *inv, bool under_systemd)
{
	if (!under_systemd && !inv->q.foreground) {
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(cf->out, "sendmail: cannot start the queue runner: %s\n",
			        strerror(errno));
			return EX_OSERR;
		}
		if (pid > 0)
			return 0;
		setsid();
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
	}
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		time_t start = time(NULL);
		qrun_once(cf, inv, NULL);
		long long left = inv->q.interval - (long long)(time(NULL) - start);
		if (left > 0)
			sleep((unsigned)left);
	}
}

int qrun_run(struct cf *cf, const struct invocation *inv, const struct privs *pv,
             bool under_systemd)
{
	int rc = queuedir_check(cf, pv, true);

	if (rc != 0)
		return rc;
	if (inv->q.interval > 0 && !is_trusted_user(cf, pv->ruid)) {
		fputs("Permission denied (real uid not trusted)\n", cf->out);
		return EX_USAGE;
	}
	if (!may_run(cf, pv)) {
		fputs("You do not have permission to process the queue\n", cf->out);
		return EX_NOPERM;
	}
	if (inv->q.interval > 0)
		return run_periodically(cf, inv, under_systemd);
	return qrun_once(cf, inv, NULL);
}
