/*
 * events: sendmail's standard log lines (events.h).
 */
#include "log/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define MAX_FIELDS 8

/* The structured fields of one entry, collected before it is written. */
struct fields {
	struct log_field f[MAX_FIELDS];
	size_t n;
};

static void field(struct fields *fs, const char *name, const char *value)
{
	if (value == NULL || fs->n == MAX_FIELDS)
		return;
	fs->f[fs->n].name = name;
	fs->f[fs->n].value = value;
	fs->n++;
}

static void peer_fields(struct fields *fs, const struct log_peer *p)
{
	if (p == NULL)
		return;
	field(fs, "SMTP_CLIENT_ADDR", p->addr);
	field(fs, "SMTP_CLIENT_NAME", p->name);
}

static void emit(struct log_ctx *lc, int priority, long threshold, const char *qid,
                 const char *event, const struct strbuf *text, const struct fields *fs)
{
	struct log_entry en = {
	    .priority = priority,
	    .threshold = threshold,
	    .qid = qid,
	    .event = event,
	    .text = sb_str(text),
	    .fields = fs ? fs->f : NULL,
	    .nfields = fs ? fs->n : 0,
	};
	log_emit(lc, &en);
}

void log_format_delay(struct strbuf *sb, long seconds)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds >= 86400)
		sb_printf(sb, "%ld+", seconds / 86400);
	seconds %= 86400;
	sb_printf(sb, "%02ld:%02ld:%02ld", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

void log_format_peer(struct strbuf *sb, const struct log_peer *p)
{
	if (p->text != NULL) {
		sb_puts(sb, p->text);
		return;
	}
	if (p->name != NULL && *p->name != '\0') {
		sb_puts(sb, p->name);
		if (p->addr != NULL)
			sb_putc(sb, ' ');
	}
	if (p->addr != NULL)
		sb_printf(sb, "[%s]", p->addr);
}

void log_from(struct log_ctx *lc, const struct log_from *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, 5))
		return;
	sb_printf(&sb, "from=%s, size=%lld, class=%d, nrcpts=%d", f->from, f->size, f->class,
	          f->nrcpts);
	if (f->msgid != NULL)
		sb_printf(&sb, ", msgid=%s", f->msgid);
	if (f->bodytype != NULL)
		sb_printf(&sb, ", bodytype=%s", f->bodytype);
	if (f->proto != NULL)
		sb_printf(&sb, ", proto=%s", f->proto);
	if (f->daemon != NULL)
		sb_printf(&sb, ", daemon=%s", f->daemon);
	if (f->relay != NULL) {
		sb_printf(&sb, ", relay=%s", f->relay);
	} else if (f->peer != NULL) {
		sb_puts(&sb, ", relay=");
		log_format_peer(&sb, f->peer);
	}
	field(&fs, "SMTP_FROM", f->from);
	peer_fields(&fs, f->peer);
	emit(lc, LOG_INFO, 5, f->qid, "from", &sb, &fs);
	sb_free(&sb);
}

static long to_threshold(enum log_to_kind k)
{
	return k == LOG_TO_SENT ? 8 : k == LOG_TO_DEFERRED ? 9 : 7;
}

/* ", ctladdr=..., delay=..., ..." after the recipient list */
static void to_tail(const struct log_to *t, struct strbuf *sb)
{
	if (t->ctladdr != NULL)
		sb_printf(sb, ", ctladdr=%s", t->ctladdr);
	sb_puts(sb, ", delay=");
	log_format_delay(sb, t->delay);
	if (t->xdelay >= 0) {
		sb_puts(sb, ", xdelay=");
		log_format_delay(sb, t->xdelay);
	}
	if (t->mailer != NULL)
		sb_printf(sb, ", mailer=%s", t->mailer);
	sb_printf(sb, ", pri=%ld", t->pri);
	if (t->relay != NULL)
		sb_printf(sb, ", relay=%s", t->relay);
	if (t->dsn != NULL)
		sb_printf(sb, ", dsn=%s", t->dsn);
	if (t->reply != NULL)
		sb_printf(sb, ", reply=%s", t->reply);
	if (t->stat != NULL)
		sb_printf(sb, ", stat=%s", t->stat);
}

/*
 * Lines of a to= entry: the recipients are cut into lists of at most
 * LOG_TO_LIST_MAX bytes; `first[i]` is where line i's list starts.
 */
static size_t cut_list(const struct log_to *t, size_t *first)
{
	size_t lines = 0, len = 0;

	for (size_t i = 0; i < t->nrcpts; i++) {
		size_t add = strlen(t->rcpts[i]) + (len > 0 ? 1 : 0);
		if (len > 0 && len + add > LOG_TO_LIST_MAX) {
			first[lines++] = i;
			len = strlen(t->rcpts[i]);
			continue;
		}
		if (i == 0)
			first[lines++] = 0;
		len += add;
	}
	return lines;
}

static size_t to_lines(const struct log_to *t, struct strbuf **out, size_t **firstp)
{
	size_t *first = xcalloc(t->nrcpts + 1, sizeof(*first));
	size_t n = cut_list(t, first);
	struct strbuf *lines = xcalloc(n ? n : 1, sizeof(*lines));

	for (size_t l = 0; l < n; l++) {
		size_t end = l + 1 < n ? first[l + 1] : t->nrcpts;
		sb_init(&lines[l]);
		sb_puts(&lines[l], "to=");
		for (size_t i = first[l]; i < end; i++) {
			if (i > first[l])
				sb_putc(&lines[l], ',');
			sb_puts(&lines[l], t->rcpts[i]);
		}
		if (l + 1 < n)
			sb_puts(&lines[l], ", [more]");
		to_tail(t, &lines[l]);
	}
	first[n] = t->nrcpts;
	*firstp = first;
	*out = lines;
	return n;
}

size_t log_to_lines(const struct log_to *t, struct strbuf **out)
{
	size_t *first;
	size_t n = to_lines(t, out, &first);
	free(first);
	return n;
}

int log_to(struct log_ctx *lc, const struct log_to *t)
{
	struct strbuf *lines;
	size_t n, *first;
	char status[16];

	if (!log_wants(lc, to_threshold(t->kind)))
		return 0;
	n = to_lines(t, &lines, &first);
	snprintf(status, sizeof(status), "%s",
	         t->kind == LOG_TO_SENT       ? "sent"
	         : t->kind == LOG_TO_DEFERRED ? "deferred"
	                                      : "bounced");
	for (size_t l = 0; l < n; l++) {
		size_t nf = 0;
		struct log_field *f = xcalloc(t->nrcpts + 5, sizeof(*f));
		struct log_entry en = {
		    .priority = LOG_INFO,
		    .threshold = to_threshold(t->kind),
		    .qid = t->qid,
		    .event = "to",
		    .text = sb_str(&lines[l]),
		};
		for (size_t i = first[l]; i < first[l + 1]; i++)
			f[nf++] = (struct log_field){"SMTP_RCPT", t->rcpts[i]};
		f[nf++] = (struct log_field){"MAILER", t->mailer};
		f[nf++] = (struct log_field){"RELAY", t->relay};
		f[nf++] = (struct log_field){"DSN_STATUS", t->dsn};
		f[nf++] = (struct log_field){"SDMAIL_DELIVERY", status};
		en.fields = f;
		en.nfields = nf;
		log_emit(lc, &en);
		free(f);
		sb_free(&lines[l]);
	}
	free(lines);
	free(first);
	return (int)n;
}

void log_done(struct log_ctx *lc, const char *qid, long delay, int ntries)
{
	struct strbuf sb = STRBUF_INIT;

	if (!log_wants(lc, 10))
		return;
	sb_puts(&sb, "done; delay=");
	log_format_delay(&sb, delay);
	sb_printf(&sb, ", ntries=%d", ntries);
	emit(lc, LOG_INFO, 10, qid, "done", &sb, NULL);
	sb_free(&sb);
}

void log_starttls(struct log_ctx *lc, const struct log_tls *t)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, 9))
		return;
	sb_printf(&sb, "STARTTLS=%s, relay=", t->role);
	log_format_peer(&sb, t->peer);
	sb_printf(&sb, ", version=%s, verify=%s, cipher=%s, bits=%d/%d", t->version, t->verify,
	          t->cipher, t->bits, t->alg_bits);
	peer_fields(&fs, t->peer);
	field(&fs, "TLS_VERSION", t->version);
	field(&fs, "TLS_VERIFY", t->verify);
	emit(lc, LOG_INFO, 9, t->qid, "starttls", &sb, &fs);
	sb_free(&sb);
}

void log_connect_from(struct log_ctx *lc, const char *qid, const char *who)
{
	struct strbuf sb = STRBUF_INIT;

	if (!log_wants(lc, 10))
		return;
	sb_printf(&sb, "connect from %s", who);
	emit(lc, LOG_INFO, 10, qid, "connect", &sb, NULL);
	sb_free(&sb);
}

void log_syserr(struct log_ctx *lc, const char *qid, const char *user, const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	sb_printf(&sb, "SYSERR(%s): %s", user, text);
	emit(lc, LOG_CRIT, 0, qid, "syserr", &sb, NULL);
	sb_free(&sb);
}

void log_rcpt_error(struct log_ctx *lc, const char *qid, const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	if (!log_wants(lc, 4))
		return;
	sb_puts(&sb, text);
	emit(lc, LOG_NOTICE, 4, qid, "rcpt-error", &sb, NULL);
	sb_free(&sb);
}

void log_losing(struct log_ctx *lc, const char *qid, const char *path, const char *why)
{
	struct strbuf sb = STRBUF_INIT;

	sb_printf(&sb, "Losing %s: %s", path, why);
	emit(lc, LOG_ALERT, 0, qid, "losing", &sb, NULL);
	sb_free(&sb);
}

void log_auth_client(struct log_ctx *lc, const char *relay, const char *mech, int bits)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, 10))
		return;
	sb_printf(&sb, "AUTH=client, relay=%s, mech=%s, bits=%d", relay, mech, bits);
	field(&fs, "RELAY", relay);
	emit(lc, LOG_INFO, 10, NULL, "auth-client", &sb, &fs);
	sb_free(&sb);
}

void log_auth_client_nomech(struct log_ctx *lc, const char *qid, const char *mechs)
{
	struct strbuf sb = STRBUF_INIT;

	if (!log_wants(lc, 9))
		return;
	sb_printf(&sb, "AUTH=client, available mechanisms=%s do not fulfill requirements", mechs);
	emit(lc, LOG_NOTICE, 9, qid, "auth-client-nomech", &sb, NULL);
	sb_free(&sb);
}

void log_auth_client_temp(struct log_ctx *lc, const char *relay)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, 9))
		return;
	sb_printf(&sb, "AUTH=client, relay=%s, temporary failure, connection abort", relay);
	field(&fs, "RELAY", relay);
	emit(lc, LOG_ERR, 9, NULL, "auth-client-temp", &sb, &fs);
	sb_free(&sb);
}

void log_auth_server(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                     const char *authid, const char *mech, int bits)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, 10))
		return;
	sb_puts(&sb, "AUTH=server, relay=");
	log_format_peer(&sb, peer);
	sb_printf(&sb, ", authid=%s, mech=%s, bits=%d", authid, mech, bits);
	peer_fields(&fs, peer);
	field(&fs, "SASL_USERNAME", authid);
	field(&fs, "SASL_METHOD", mech);
	emit(lc, LOG_INFO, 10, qid, "auth", &sb, &fs);
	sb_free(&sb);
}

void log_auth_failure(struct log_ctx *lc, const char *qid, const char *mech, const char *why,
                      int code, const char *detail, const char *user, const struct log_peer *peer)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, 9))
		return;
	sb_printf(&sb, "AUTH failure (%s): %s (%d)", mech, why, code);
	if (detail != NULL)
		sb_printf(&sb, " %s", detail);
	if (user != NULL)
		sb_printf(&sb, ", user=%s", user);
	sb_puts(&sb, ", relay=");
	log_format_peer(&sb, peer);
	peer_fields(&fs, peer);
	field(&fs, "SASL_USERNAME", user);
	field(&fs, "SASL_METHOD", mech);
	emit(lc, LOG_WARNING, 9, qid, "auth-failure", &sb, &fs);
	sb_free(&sb);
}

void log_reject(struct log_ctx *lc, const char *qid, const char *ruleset, const char *arg1,
                const char *arg2, const struct log_peer *peer, const char *reject)
{
	log_reject_at(lc, 4, qid, ruleset, arg1, arg2, peer, reject);
}

void log_reject_at(struct log_ctx *lc, int threshold, const char *qid, const char *ruleset,
                   const char *arg1, const char *arg2, const struct log_peer *peer,
                   const char *reject)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, threshold))
		return;
	sb_printf(&sb, "ruleset=%s, arg1=%s", ruleset, arg1);
	if (arg2 != NULL)
		sb_printf(&sb, ", arg2=%s", arg2);
	sb_puts(&sb, ", relay=");
	log_format_peer(&sb, peer);
	if (reject != NULL)
		sb_printf(&sb, ", reject=%s", reject);
	else
		sb_puts(&sb, ", discard");
	peer_fields(&fs, peer);
	if (strcmp(ruleset, "check_rcpt") == 0)
		field(&fs, "SMTP_RCPT", arg1);
	else if (strcmp(ruleset, "check_mail") == 0)
		field(&fs, "SMTP_FROM", arg1);
	field(&fs, "SDMAIL_RULESET", ruleset);
	emit(lc, LOG_NOTICE, threshold, qid, "reject", &sb, &fs);
	sb_free(&sb);
}

void log_dsn(struct log_ctx *lc, const char *qid, const char *dsn_qid, const char *label,
             const char *why)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, 6))
		return;
	sb_printf(&sb, "%s: %s: %s", dsn_qid, label, why);
	field(&fs, "SDMAIL_DSN_QUEUE_ID", dsn_qid);
	emit(lc, LOG_INFO, 6, qid, "dsn", &sb, &fs);
	sb_free(&sb);
}

void log_clone(struct log_ctx *lc, const char *qid, const char *clone_qid, const char *owner)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, 6))
		return;
	sb_printf(&sb, "%s: clone: owner=%s", clone_qid, owner);
	field(&fs, "SDMAIL_CLONE_QUEUE_ID", clone_qid);
	emit(lc, LOG_INFO, 6, qid, "clone", &sb, &fs);
	sb_free(&sb);
}

/* The session lines: "<before><peer><after>" with the peer's fields. */
struct session_line {
	int priority;
	long threshold;
	const char *event;
	const char *before;
};

static const struct session_line LOST_INPUT = {LOG_NOTICE, 2, "lost-input",
                                               "lost input channel from "};
static const struct session_line INPUT_TIMEOUT = {LOG_NOTICE, 3, "timeout",
                                                  "timeout waiting for input from "};
static const struct session_line NO_MAIL = {LOG_INFO, 6, "no-mail", ""};
static const struct session_line ETRN_LINE = {LOG_INFO, 6, "etrn", ""};
static const struct session_line VERIFY_LINE = {LOG_INFO, 6, "vrfy", ""};
static const struct session_line RCPT_FLOOD = {LOG_INFO, 6, "rcpt-flood", ""};
static const struct session_line SMTP_ATTACK = {LOG_INFO, 6, "smtp-attack", ""};

static void session_line(struct log_ctx *lc, const struct session_line *sl, const char *qid,
                         const struct log_peer *peer, const char *after_fmt, const char *a1,
                         const char *a2)
{
	struct strbuf sb = STRBUF_INIT;
	struct fields fs = {0};

	if (!log_wants(lc, sl->threshold))
		return;
	sb_puts(&sb, sl->before);
	log_format_peer(&sb, peer);
	sb_printf(&sb, after_fmt, a1, a2);
	peer_fields(&fs, peer);
	emit(lc, sl->priority, sl->threshold, qid, sl->event, &sb, &fs);
	sb_free(&sb);
}

void log_lost_input(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                    const char *daemon, const char *after)
{
	session_line(lc, &LOST_INPUT, qid, peer, " to %s after %s", daemon, after);
}

void log_input_timeout(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                       const char *during)
{
	session_line(lc, &INPUT_TIMEOUT, qid, peer, " during %s%s", during, "");
}

void log_protocol_error(struct log_ctx *lc, const char *qid, const char *host, const char *stage,
                        const char *reply)
{
	struct strbuf sb = STRBUF_INIT;

	sb_printf(&sb, "%.100s: SMTP %s protocol error: %.403s", host, stage, reply);
	emit(lc, LOG_CRIT, 2, qid, "protocol-error", &sb, NULL);
	sb_free(&sb);
}

void log_worklist_maxed(struct log_ctx *lc, const char *dir, long long max)
{
	struct strbuf sb = STRBUF_INIT;

	sb_printf(&sb, "WorkList for %s maxed out at %lld", dir, max);
	emit(lc, LOG_WARNING, 1, NULL, "worklist-maxed", &sb, NULL);
	sb_free(&sb);
}

void log_to_queued(struct log_ctx *lc, const char *qid, const char *addr, const char *mailer,
                   long pri)
{
	struct log_to t = {.qid = qid,
	                   .kind = LOG_TO_DEFERRED,
	                   .rcpts = &addr,
	                   .nrcpts = 1,
	                   .delay = 0,
	                   .xdelay = -1,
	                   .mailer = mailer,
	                   .pri = pri,
	                   .stat = "queued"};
	log_to(lc, &t);
}

void log_queue_run_skipped(struct log_ctx *lc)
{
	struct strbuf sb = STRBUF_INIT;

	if (!log_wants(lc, 9))
		return;
	sb_puts(&sb, "runqueue: Skipping queue run -- load average too high");
	emit(lc, LOG_INFO, 9, NULL, "queue-run-skipped", &sb, NULL);
	sb_free(&sb);
}

void log_load_limit(struct log_ctx *lc, bool refusing, const char *daemon, int la, long long limit)
{
	struct strbuf sb = STRBUF_INIT;

	if (!log_wants(lc, 9))
		return;
	if (refusing)
		sb_printf(&sb, "rejecting connections on daemon %s: load average: %d", daemon, la);
	else
		sb_printf(&sb, "delaying connections on daemon %s: load average=%d >= %lld", daemon,
		          la, limit);
	emit(lc, refusing ? LOG_NOTICE : LOG_INFO, 9, NULL, refusing ? "refusing" : "delaying", &sb,
	     NULL);
	sb_free(&sb);
}

void log_delaying(struct log_ctx *lc, const char *qid, const char *command, int la, long long limit)
{
	struct strbuf sb = STRBUF_INIT;

	if (!log_wants(lc, 9))
		return;
	sb_printf(&sb, "delaying=%s, load average=%d >= %lld", command, la, limit);
	emit(lc, LOG_INFO, 9, qid, "delaying", &sb, NULL);
	sb_free(&sb);
}

void log_etrn(struct log_ctx *lc, const char *qid, const struct log_peer *peer, const char *arg)
{
	session_line(lc, &ETRN_LINE, qid, peer, ": ETRN %s%s", arg, "");
}

void log_verify(struct log_ctx *lc, const char *qid, const struct log_peer *peer, bool expn,
                const char *arg)
{
	session_line(lc, &VERIFY_LINE, qid, peer, ": %s %s", expn ? "EXPN" : "VRFY", arg);
}

void log_rcpt_flood(struct log_ctx *lc, const char *qid, const struct log_peer *peer)
{
	session_line(lc, &RCPT_FLOOD, qid, peer, ": Possible SMTP RCPT flood, throttling.%s%s", "",
	             "");
}

void log_smtp_attack(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                     const char *command, int count)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", count);
	session_line(lc, &SMTP_ATTACK, qid, peer, ": possible SMTP attack: command=%s, count=%s",
	             command, n);
}

void log_no_mail(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                 const char *daemon)
{
	session_line(lc, &NO_MAIL, qid, peer,
	             " did not issue MAIL/EXPN/VRFY/ETRN during connection to %s%s", daemon, "");
}
