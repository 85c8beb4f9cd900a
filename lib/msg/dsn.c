/*
 * dsn: delivery status notifications as sendmail writes them (dsn.h).
 */
#include "msg/dsn.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "msg/arpadate.h"
#include "msg/envelope.h"
#include "msg/headers.h"
#include "msg/putheader.h"
#include "rules/parseaddr.h"
#include "rules/recipient.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* What sendmail calls the error messages' sender, and itself in From:. */
#define DSN_FULL_NAME "Mail Delivery Subsystem"
/* sendmail counts a returned body this much larger for the priority */
#define DSN_SIZE_EXTRA 1024
struct dsn_text {
	const char *subject;
	const char *auto_submitted;
	const char *list_title; /* NULL: no list of addresses */
};

static const struct dsn_text texts[] = {
    [DSN_FAILURE] = {"Returned mail: see transcript for details", "failure",
                     "The following addresses had permanent fatal errors"},
    [DSN_DELAY] = {NULL, "warning-timeout", NULL},
    [DSN_SUCCESS] = {"Return receipt", "return-receipt",
                     "The following addresses had successful delivery notifications"},
    [DSN_POSTMASTER] = {"Postmaster notify: see transcript for details", "postmaster-notification",
                        "The following addresses had permanent fatal errors"},
};

bool dsn_reports(const struct env_rcpt *r, enum dsn_kind kind)
{
	bool explicit_notify = strchr(r->flags, RCPT_NOTIFY_NEVER) != NULL;

	switch (kind) {
	case DSN_FAILURE:
		return r->result.outcome == RCPT_FAILED &&
		       (!explicit_notify || strchr(r->flags, RCPT_NOTIFY_FAILURE) != NULL);
	case DSN_DELAY:
		return r->result.outcome == RCPT_DEFERRED && !r->done &&
		       (!explicit_notify || strchr(r->flags, RCPT_NOTIFY_DELAY) != NULL);
	case DSN_SUCCESS:
		return r->result.outcome == RCPT_RELAYED &&
		       strchr(r->flags, RCPT_NOTIFY_SUCCESS) != NULL;
	case DSN_POSTMASTER:
		return r->result.outcome == RCPT_FAILED;
	}
	return false;
}

int dsn_count(const struct envelope *e, enum dsn_kind kind)
{
	int n = 0;
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		n += dsn_reports(r, kind);
	return n;
}

void dsn_interval(long long seconds, char *buf, size_t size)
{
	static const struct {
		const char *unit;
		long long len;
	} units[] = {{"day", 86400}, {"hour", 3600}, {"minute", 60}, {"second", 1}};
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		long long n = seconds / units[i].len;
		if (n == 0 && !(i == 3 && sb.len == 0))
			continue;
		seconds -= n * units[i].len;
		sb_printf(&sb, "%s%lld %s%s", sb.len ? ", " : "", n, units[i].unit,
		          n == 1 ? "" : "s");
	}
	snprintf(buf, size, "%s", sb_str(&sb));
	sb_free(&sb);
}

/* RFC 3461 xtext: "+2B" is '+'. */
static void xtext_decode(const char *s, struct strbuf *out)
{
	for (; *s; s++) {
		if (s[0] == '+' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char hex[3] = {s[1], s[2], '\0'};
			sb_putc(out, (char)strtol(hex, NULL, 16));
			s += 2;
		} else {
			sb_putc(out, *s);
		}
	}
}

static void put_date(struct strbuf *out, const char *field, time_t t)
{
	char date[64];
	arpadate(t, date, sizeof(date));
	sb_printf(out, "%s%s\n", field, date);
}

/* ---- the human-readable part ---------------------------------------------- */

static void warning_box(struct strbuf *out)
{
	sb_puts(out, "    **********************************************\n"
	             "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
	             "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
	             "    **********************************************\n\n");
}

/* "root" from the controlling address ":root" */
static const char *expanded_from(const struct envelope *e, const struct env_rcpt *r)
{
	const char *c = r->ctladdr ? r->ctladdr : e->ctladdr;
	if (c == NULL || *c == '\0')
		return NULL;
	return *c == ':' ? c + 1 : c;
}

static void address_list(const struct dsn_request *rq, struct strbuf *out)
{
	const struct envelope *e = rq->orig;
	const char *title = texts[rq->kind].list_title;

	if (title == NULL)
		return;
	sb_printf(out, "   ----- %s -----\n", title);
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
		const char *from = expanded_from(e, r);
		if (!dsn_reports(r, rq->kind))
			continue;
		/* the address of an alias's value that failed, as sendmail lists it */
		if (r->result.expansion != NULL)
			from = r->result.parent ? r->result.parent : r->addr;
		sb_puts(out, r->result.expansion ? r->result.expansion : r->addr);
		if (r->result.outcome == RCPT_RELAYED)
			sb_puts(out, "  (relayed to non-DSN-aware mailer)");
		sb_putc(out, '\n');
		if (r->result.reason != NULL && rq->kind != DSN_SUCCESS)
			sb_printf(out, "    (reason: %s)\n", r->result.reason);
		if (from != NULL)
			sb_printf(out, "    (expanded from: %s)\n", from);
	}
	sb_putc(out, '\n');
}

static void human_part(const struct dsn_request *rq, struct strbuf *out)
{
	const struct envelope *e = rq->orig;
	const char *from = envelope_get_macro(e, "_");
	char iv[96];

	if (rq->kind == DSN_DELAY)
		warning_box(out);
	put_date(out, "The original message was received at ", e->ctime);
	if (from != NULL && *from != '\0')
		sb_printf(out, "from %s\n", from);
	if (rq->kind == DSN_POSTMASTER)
		sb_printf(out, "with id %s\n", e->id);
	sb_putc(out, '\n');
	if (rq->error_text != NULL && *rq->error_text != '\0') {
		sb_puts(out, rq->error_text);
		if (rq->error_text[strlen(rq->error_text) - 1] != '\n')
			sb_putc(out, '\n');
		sb_putc(out, '\n');
	}
	address_list(rq, out);
	sb_puts(out, "   ----- Transcript of session follows -----\n");
	sb_puts(out, sb_str(&e->transcript));
	if (rq->kind == DSN_DELAY) {
		dsn_interval(rq->warn_after, iv, sizeof(iv));
		sb_printf(out, "Warning: message still undelivered after %s\n", iv);
		dsn_interval(rq->return_after, iv, sizeof(iv));
		sb_printf(out, "Will keep trying until message is %s old\n", iv);
	} else if (rq->expired_after > 0) {
		dsn_interval(rq->expired_after, iv, sizeof(iv));
		sb_printf(out, "Message could not be delivered for %s\n", iv);
		sb_puts(out, "Message will be deleted from queue\n");
	}
}

/* ---- the message/delivery-status part ------------------------------------ */

static const char *action_of(const struct env_rcpt *r, enum dsn_kind kind)
{
	if (kind == DSN_DELAY)
		return "delayed";
	if (r->result.outcome == RCPT_RELAYED)
		return "relayed (to non-DSN-aware mailer)";
	return "failed";
}

static void status_fields(const struct dsn_request *rq, const char *j, struct strbuf *out)
{
	const struct envelope *e = rq->orig;

	if (e->envid != NULL) {
		sb_puts(out, "Original-Envelope-Id: ");
		xtext_decode(e->envid, out);
		sb_putc(out, '\n');
	}
	sb_printf(out, "Reporting-MTA: dns; %s\n", j);
	if (rq->received_from != NULL)
		sb_printf(out, "Received-From-MTA: DNS; %s\n", rq->received_from);
	put_date(out, "Arrival-Date: ", e->ctime);
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
		const struct rcpt_result *res = &r->result;
		if (!dsn_reports(r, rq->kind))
			continue;
		sb_putc(out, '\n');
		if (r->orcpt != NULL) {
			sb_puts(out, "Original-Recipient: ");
			xtext_decode(r->orcpt, out);
			sb_putc(out, '\n');
		}
		sb_printf(out, "Final-Recipient: %s\n", r->final ? r->final : r->addr);
		sb_printf(out, "X-Actual-Recipient: %s; %s\n",
		          res->actual_type[0] ? res->actual_type : "rfc822",
		          res->actual ? res->actual : r->addr);
		sb_printf(out, "Action: %s\n", action_of(r, rq->kind));
		if (res->status[0] != '\0')
			sb_printf(out, "Status: %s\n", res->status);
		if (res->remote_mta != NULL)
			sb_printf(out, "Remote-MTA: %s\n", res->remote_mta);
		if (res->diagnostic != NULL)
			sb_printf(out, "Diagnostic-Code: %s\n", res->diagnostic);
		put_date(out, "Last-Attempt-Date: ", res->when ? res->when : rq->now);
		if (rq->kind == DSN_DELAY && res->diagnostic == NULL)
			put_date(out, "Will-Retry-Until: ", e->ctime + rq->return_after);
	}
}

/* ---- the returned message ---------------------------------------------------- */

/* The body of the original, "From " lines escaped as the *file* mailer does. */
static int copy_body(int fd, bool escape_from, struct strbuf *out)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int dupfd = dup(fd);

	if (dupfd < 0)
		return -errno;
	f = fdopen(dupfd, "r");
	if (f == NULL) {
		close(dupfd);
		return -errno;
	}
	rewind(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (escape_from && strncmp(line, "From ", 5) == 0)
			sb_putc(out, '>');
		sb_put(out, line, (size_t)n);
	}
	if (out->len > 0 && out->s[out->len - 1] != '\n')
		sb_putc(out, '\n');
	n = ferror(f) ? -EIO : 0;
	free(line);
	fclose(f);
	return (int)n;
}

static bool body_is_8bit(const struct dsn_request *rq, const struct strbuf *body)
{
	if (rq->orig->bodytype != NULL && strcasecmp(rq->orig->bodytype, "8BITMIME") == 0)
		return true;
	for (size_t i = 0; i < body->len; i++)
		if ((unsigned char)body->s[i] >= 0x80)
			return true;
	return false;
}

/* The original's header as the *file* mailer writes it; $g is its sender's. */
static void returned_headers(struct cf *cf, struct macro_env *env, const struct envelope *e,
                             struct strbuf *out)
{
	struct pool pool = POOL_INIT;
	struct macro_env oenv = {.parent = env};
	struct rw_ctx ctx = {.cf = cf, .env = &oenv, .pool = &pool};
	struct address a;
	const struct mailer *file = cf->file_mailer ? cf->file_mailer : cf->mailers[1];

	set_sender(&ctx, e->sender ? e->sender : "", &a);
	putheaders(&ctx, e, file, out);
	macro_env_clear(&oenv);
	pool_release(&pool);
}

int dsn_file_form(struct cf *cf, struct macro_env *env, const struct envelope *e, int fd,
                  struct strbuf *headers, struct strbuf *body)
{
	int rc = copy_body(fd, true, body);

	if (rc == 0)
		returned_headers(cf, env, e, headers);
	return rc;
}

/* ---- the DSN envelope ------------------------------------------------------- */

static void define(struct cf *cf, struct macro_env *env, const char *name, const char *value)
{
	macro_define(env, macro_id(cf, name, true), value);
}

/* The members of an expanded return_to, each with its C line. */
static int add_members(const struct dsn_request *rq, struct envelope *dsn)
{
	int n = 0;

	for (const struct env_rcpt *m = rq->members; m != NULL; m = m->next, n++) {
		struct env_rcpt *er = envelope_add_rcpt(dsn, m->addr, "PF");
		er->ctladdr = m->ctladdr ? xstrdup(m->ctladdr) : NULL;
		er->final = m->final ? xstrdup(m->final) : NULL;
	}
	return n;
}

/* The DSN's one recipient, written as a submission writes its recipients. */
static void add_recipient(struct cf *cf, struct macro_env *env, const struct dsn_request *rq,
                          const char *j, struct envelope *dsn)
{
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {.cf = cf, .env = env, .pool = &pool};
	struct rcpt_list list;
	struct strbuf fin = STRBUF_INIT;
	const struct recipient *r;
	struct env_rcpt *er;

	rcpt_list_init(&list, &ctx);
	/* only its parse: its .forward is read when the DSN is delivered
	 * (sendmail says "forwarding to" once) */
	list.verify_only = true;
	rcpt_send_to_list(&list, rq->return_to);
	/* the address ruleset 5 made of it, when it replaced the one given */
	r = list.queue;
	while (r != NULL && r->a.state == ADDR_BADADDR && r->next != NULL)
		r = r->next;
	er = envelope_add_rcpt(dsn, r != NULL ? r->printed : rq->return_to, "PF");
	if (r != NULL && strchr(r->printed, '@') == NULL && r->a.user != NULL) {
		sb_printf(&fin, "RFC822; %s", r->a.user);
		if (strchr(r->a.user, '@') == NULL)
			sb_printf(&fin, "@%s", j);
	} else {
		sb_printf(&fin, "RFC822; %s", er->addr);
	}
	er->final = sb_detach(&fin);
	if (r != NULL && r->ctl_user != NULL) {
		struct strbuf c = STRBUF_INIT;
		sb_printf(&c, ":%s", r->ctl_user);
		er->ctladdr = sb_detach(&c);
	}
	pool_release(&pool);
}

static void dsn_headers(const struct dsn_request *rq, const char *boundary, bool eight_bit,
                        struct envelope *dsn)
{
	struct strbuf v = STRBUF_INIT;
	char iv[96];

	sb_printf(&v, " %s", rq->return_to);
	envelope_add_header(dsn, "To", sb_str(&v), NULL);
	if (rq->mime) {
		envelope_add_header(dsn, "MIME-Version", " 1.0", NULL);
		sb_reset(&v);
		sb_printf(&v, " multipart/report; report-type=delivery-status;\n\tboundary=\"%s\"",
		          boundary);
		envelope_add_header(dsn, "Content-Type", sb_str(&v), NULL);
		if (eight_bit)
			envelope_add_header(dsn, "Content-Transfer-Encoding", " 8bit", NULL);
	}
	sb_reset(&v);
	if (rq->kind == DSN_DELAY) {
		dsn_interval(rq->warn_after, iv, sizeof(iv));
		sb_printf(&v, " Warning: could not send message for past %s", iv);
	} else {
		sb_printf(&v, " %s", texts[rq->kind].subject);
	}
	envelope_add_header(dsn, "Subject", sb_str(&v), NULL);
	sb_reset(&v);
	sb_printf(&v, " auto-generated (%s)", texts[rq->kind].auto_submitted);
	envelope_add_header(dsn, "Auto-Submitted", sb_str(&v), NULL);
	sb_free(&v);
}

/* The macros sendmail gives an error message: from localhost, no protocol. */
static void dsn_macros(struct cf *cf, struct macro_env *denv, const struct dsn_request *rq,
                       struct envelope *dsn)
{
	const char *flags = envelope_get_macro(rq->orig, "{daemon_flags}");
	char buf[64];

	envelope_set_macro(dsn, "_", "localhost");
	envelope_set_macro(dsn, "r", "");
	envelope_set_macro(dsn, "s", "localhost");
	if (flags != NULL)
		envelope_set_macro(dsn, "{daemon_flags}", flags);
	define(cf, denv, "_", "localhost");
	define(cf, denv, "s", "localhost");
	/* empty, so that the message's own values do not show through */
	define(cf, denv, "r", "");
	define(cf, denv, "u", "");
	define(cf, denv, "x", DSN_FULL_NAME);
	define(cf, denv, "i", dsn->id);
	arpadate(rq->now, buf, sizeof(buf));
	define(cf, denv, "a", buf);
	define(cf, denv, "b", buf);
	numericdate(rq->now, buf, sizeof(buf));
	define(cf, denv, "t", buf);
	ctimedate(rq->now, buf, sizeof(buf));
	define(cf, denv, "d", buf);
}

static void dsn_envelope(struct cf *cf, struct macro_env *denv, const struct dsn_request *rq,
                         const char *j, struct envelope *dsn)
{
	const struct envelope *e = rq->orig;
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {.cf = cf, .env = denv, .pool = &pool};
	struct address a;
	int nrcpts;

	dsn->ctime = rq->now;
	envelope_set(&dsn->sender, "MAILER-DAEMON");
	envelope_add_flag(dsn, 'r');
	envelope_add_flag(dsn, 's');
	if (rq->pass_dsn_params) {
		envelope_set(&dsn->envid, e->envid);
		if (envelope_has_flag(e, 'd')) {
			envelope_add_flag(dsn, 'd');
			if (rq->headers_only || envelope_has_flag(e, 'n'))
				envelope_add_flag(dsn, 'n');
		}
	}
	/* $g of the error sender, for Return-Path (bound late) */
	set_sender(&ctx, "MAILER-DAEMON", &a);
	if ((nrcpts = add_members(rq, dsn)) == 0) {
		add_recipient(cf, denv, rq, j, dsn);
		nrcpts = 1;
	}
	/* an estimate made before the body exists (see size_in_priority) */
	dsn->priority = cf->opt.num[OPT_RecipientFactor] * nrcpts +
	                (rq->size_in_priority ? rq->orig_size + DSN_SIZE_EXTRA : 0);
	pool_release(&pool);
}

/* The MIME form: report, status, returned message. */
static void mime_body(const struct dsn_request *rq, const char *boundary, const char *j,
                      const struct strbuf *human, const struct strbuf *hdrs,
                      const struct strbuf *body, bool eight_bit, struct strbuf *out)
{
	sb_printf(out, "This is a MIME-encapsulated message\n\n--%s\n\n", boundary);
	sb_puts(out, sb_str(human));
	sb_printf(out, "\n--%s\nContent-Type: message/delivery-status\n\n", boundary);
	status_fields(rq, j, out);
	sb_printf(out, "\n--%s\nContent-Type: %s\n", boundary,
	          rq->headers_only ? "text/rfc822-headers" : "message/rfc822");
	if (eight_bit)
		sb_puts(out, "Content-Transfer-Encoding: 8bit\n");
	sb_putc(out, '\n');
	sb_puts(out, sb_str(hdrs));
	sb_putc(out, '\n');
	if (!rq->headers_only) {
		sb_puts(out, sb_str(body));
		sb_putc(out, '\n');
	}
	sb_printf(out, "--%s--\n\n", boundary);
}

/* The plain form of SendMimeErrors=False. */
static void plain_body(const struct dsn_request *rq, const struct strbuf *human,
                       const struct strbuf *hdrs, const struct strbuf *body, struct strbuf *out)
{
	sb_puts(out, sb_str(human));
	sb_printf(out, "\n   ----- %s follows -----\n\n",
	          rq->headers_only ? "Message header" : "Original message");
	sb_puts(out, sb_str(hdrs));
	if (!rq->headers_only) {
		sb_putc(out, '\n');
		sb_puts(out, sb_str(body));
	}
	sb_putc(out, '\n');
}

int dsn_build(struct cf *cf, struct macro_env *env, const struct dsn_request *rq,
              struct envelope *dsn, FILE *out)
{
	struct macro_env denv = {.parent = env};
	struct strbuf jx = STRBUF_INIT, boundary = STRBUF_INIT, human = STRBUF_INIT;
	struct strbuf hdrs = STRBUF_INIT, body = STRBUF_INIT, text = STRBUF_INIT;
	const char *j = macro_get(env, 'j');
	bool eight_bit;
	int rc;

	macro_expand(cf, env, j ? j : "", &jx);
	rc = dsn_file_form(cf, env, rq->orig, rq->orig_df, &hdrs, &body);
	if (rc < 0)
		goto out;
	eight_bit = rq->mime && !rq->headers_only && body_is_8bit(rq, &body);
	sb_printf(&boundary, "%s.%lld/%s", dsn->id, (long long)rq->now, sb_str(&jx));
	dsn_macros(cf, &denv, rq, dsn);
	dsn_envelope(cf, &denv, rq, sb_str(&jx), dsn);
	if (eight_bit)
		envelope_set(&dsn->bodytype, "8BITMIME");
	dsn_headers(rq, sb_str(&boundary), eight_bit, dsn);
	/* no "for" in Received: ruleset 5 may have set $u for the recipient */
	define(cf, &denv, "u", "");
	headers_add_defaults(cf, &denv, dsn, false);
	human_part(rq, &human);
	if (rq->mime)
		mime_body(rq, sb_str(&boundary), sb_str(&jx), &human, &hdrs, &body, eight_bit,
		          &text);
	else
		plain_body(rq, &human, &hdrs, &body, &text);
	if (fwrite(text.s, 1, text.len, out) != text.len || fflush(out) != 0)
		rc = -EIO;
	dsn->body_size = (long long)text.len;
out:
	macro_env_clear(&denv);
	sb_free(&jx);
	sb_free(&boundary);
	sb_free(&human);
	sb_free(&hdrs);
	sb_free(&body);
	sb_free(&text);
	return rc;
}
