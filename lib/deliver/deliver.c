/*
 * deliver: a delivery attempt of one envelope (deliver.h).
 */
#include "deliver/deliver.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "log/events.h"
#include "msg/envelope.h"
#include "msg/putheader.h"
#include "rules/parseaddr.h"
#include "rules/recipient.h"
#include "smtp/client.h"
#include "smtp/ehlo.h"
#include "tls/tls.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* A resolved recipient and the queue entry it belongs to. */
struct target {
	struct env_rcpt *er;
	struct recipient *r;
	bool handled;
};

struct attempt {
	struct cf *cf;
	struct macro_env *env;
	struct envelope *e;
	int dffd;
	const struct deliver_opts *o;
	struct deliver_outcome *out;
	struct rw_ctx ctx;
	struct pool pool;
	const char *mailer; /* the group's mailer, for the log */
	const char *host;   /* the group's host as the mailer got it */
	const char *peer;   /* the address connected to, NULL: none */
	time_t start;       /* when the group's attempt started (xdelay) */
};

/*
 * "root (0/0)": the user who submitted the message, as sendmail's MSP logs
 * it for every recipient (not the qf's per-recipient C lines).
 */
static void ctladdr_text(const struct attempt *a, struct strbuf *sb)
{
	const char *c = a->e->sender;
	struct passwd *pw;

	if (c == NULL || *c == '\0' || strchr(c, '@') != NULL || strchr(c, '<') != NULL)
		return;
	pw = getpwnam(c);
	if (pw != NULL)
		sb_printf(sb, "%s (%lu/%lu)", c, (unsigned long)pw->pw_uid,
		          (unsigned long)pw->pw_gid);
}

/* "[127.0.0.1] [127.0.0.1]": the host, then the address reached. */
static void relay_text(const struct attempt *a, struct strbuf *sb)
{
	const char *addr = a->peer;
	size_t n = strlen(a->host);

	sb_puts(sb, a->host);
	if ((addr == NULL || *addr == '\0') && a->host[0] == '[' && a->host[n - 1] == ']') {
		sb_printf(sb, " %s", a->host);
		return;
	}
	if (addr != NULL && *addr != '\0')
		sb_printf(sb, " [%s]", addr);
}

/* "4.3.0" from "450 4.3.0 text"; `fallback` when the reply has none. */
static void reply_dsn(const char *reply, const char *fallback, char *out, size_t size)
{
	const char *p = reply;
	size_t n;

	snprintf(out, size, "%s", fallback);
	if (!(isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	      isdigit((unsigned char)p[2]) && p[3] == ' '))
		return;
	p += 4;
	n = strspn(p, "0123456789.");
	if (n >= 5 && n < size && (p[n] == ' ' || p[n] == '\0') && p[1] == '.' &&
	    (p[0] == '2' || p[0] == '4' || p[0] == '5'))
		snprintf(out, size, "%.*s", (int)n, p);
}

static bool is_reply(const char *text)
{
	return isdigit((unsigned char)text[0]) && isdigit((unsigned char)text[1]) &&
	       isdigit((unsigned char)text[2]) && text[3] == ' ';
}

/* One to= entry for recipients of the current group. */
static void log_group(struct attempt *a, struct target **group, int n, enum log_to_kind kind,
                      const char *dsn, const char *reply, const char *stat)
{
	struct strbuf ctl = STRBUF_INIT, relay = STRBUF_INIT;
	const char **names;
	time_t now = time(NULL);
	struct log_to t = {0};

	if (a->o->log == NULL || n == 0)
		return;
	names = xcalloc((size_t)n, sizeof(*names));
	for (int i = 0; i < n; i++)
		names[i] = group[i]->r->printed;
	ctladdr_text(a, &ctl);
	if (a->host != NULL)
		relay_text(a, &relay);
	t.qid = a->e->id;
	t.kind = kind;
	t.rcpts = names;
	t.nrcpts = (size_t)n;
	t.ctladdr = ctl.len ? sb_str(&ctl) : NULL;
	t.delay = (long)(now - a->e->ctime);
	t.xdelay = (long)(now - (a->start ? a->start : now));
	t.mailer = a->mailer;
	t.pri = a->e->priority;
	t.relay = relay.len ? sb_str(&relay) : NULL;
	t.dsn = dsn;
	t.reply = reply;
	t.stat = stat;
	log_to(a->o->log, &t);
	free(names);
	sb_free(&ctl);
	sb_free(&relay);
}

static void transcript_line(void *arg, bool from_client, const char *line)
{
	FILE *f = arg;
	fprintf(f, "%s%s\n", from_client ? ">>> " : "", line);
	fflush(f);
}

static void note_deferral(struct attempt *a, const char *text)
{
	if (a->e->message == NULL || *a->e->message == '\0' ||
	    strncmp(a->e->message, "Deferred", 8) != 0)
		envelope_set(&a->e->message, text);
}

/* "root,nobody" — the addresses of a group as given, comma-joined. */
static void group_names(struct target **group, int n, struct strbuf *sb)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		sb_puts(sb, group[i]->r->printed);
	}
}

static void group_message(struct attempt *a, struct target **group, int n, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	if (a->o->transcript == NULL)
		return;
	group_names(group, n, &sb);
	fprintf(a->o->transcript, "%s... %s\n", sb_str(&sb), text);
	fflush(a->o->transcript);
	sb_free(&sb);
}

/* `dsn` NULL: the enhanced code of `why`, which is a server's reply. */
static void defer_group(struct attempt *a, struct target **group, int n, const char *why,
                        const char *dsn)
{
	struct strbuf msg = STRBUF_INIT;
	struct target **logged = xcalloc((size_t)n + 1, sizeof(*logged));
	char code[16];
	int nl = 0;

	sb_printf(&msg, "Deferred: %s", why);
	group_message(a, group, n, sb_str(&msg));
	note_deferral(a, sb_str(&msg));
	for (int i = 0; i < n; i++) {
		if (group[i]->handled)
			continue;
		group[i]->handled = true;
		a->out->deferred++;
		logged[nl++] = group[i];
	}
	if (dsn == NULL)
		reply_dsn(why, "4.0.0", code, sizeof(code));
	else
		snprintf(code, sizeof(code), "%s", dsn);
	log_group(a, logged, nl, LOG_TO_DEFERRED, code, is_reply(why) ? why : NULL, sb_str(&msg));
	free(logged);
	sb_free(&msg);
}

static void fail_target(struct attempt *a, struct target *t, const char *text, int status)
{
	t->handled = true;
	t->er->done = true;
	a->out->failed++;
	if (a->out->status == 0)
		a->out->status = status;
	if (!a->o->quiet_errors)
		fprintf(a->cf->out, "%s... %s\n", t->r->printed, text);
	if (a->o->log != NULL) {
		char code[16];
		reply_dsn(text, "5.0.0", code, sizeof(code));
		log_group(a, &t, 1, LOG_TO_FAILED, code, is_reply(text) ? text : NULL,
		          status == EX_UNAVAILABLE ? "Service unavailable" : text);
	}
}

/* Host and port of an [IPC] mailer: A=TCP $h [port]. */
static unsigned mailer_port(struct cf *cf, const struct mailer *m)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned port = 25;
	if (m->argv[0] && m->argv[1] && m->argv[2]) {
		macro_expand(cf, &cf->macros, m->argv[2], &sb);
		if (atoi(sb_str(&sb)) > 0)
			port = (unsigned)atoi(sb_str(&sb));
	}
	sb_free(&sb);
	return port;
}

static unsigned notify_bits(const char *flags)
{
	unsigned n = 0;
	if (strchr(flags, RCPT_NOTIFY_SUCCESS))
		n |= SMTP_NOTIFY_SUCCESS;
	if (strchr(flags, RCPT_NOTIFY_FAILURE))
		n |= SMTP_NOTIFY_FAILURE;
	if (strchr(flags, RCPT_NOTIFY_DELAY))
		n |= SMTP_NOTIFY_DELAY;
	if (strchr(flags, 'N') && n == 0)
		n = SMTP_NOTIFY_NEVER;
	/* without an explicit NOTIFY, sendmail sends none */
	return strchr(flags, 'N') ? n : 0;
}

static bool body_has_8bit(struct attempt *a)
{
	char buf[8192];
	ssize_t n;
	lseek(a->dffd, 0, SEEK_SET);
	while ((n = read(a->dffd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			if ((unsigned char)buf[i] >= 0x80)
				return true;
	return false;
}

/*
 * BODY= as sendmail sends it: only for a body type given with -B (or
 * BODY= on the way in), and 8BITMIME only when the body really has
 * 8-bit bytes.
 */
static enum smtp_body body_parameter(struct attempt *a)
{
	const char *t = a->e->bodytype;
	if (t == NULL)
		return SMTP_BODY_UNSPEC;
	if (strcasecmp(t, "8BITMIME") == 0)
		return body_has_8bit(a) ? SMTP_BODY_8BITMIME : SMTP_BODY_7BIT;
	if (strcasecmp(t, "7BIT") == 0)
		return SMTP_BODY_7BIT;
	return SMTP_BODY_UNSPEC;
}

static void smtp_reply_text(const struct smtp_client *c, struct strbuf *out)
{
	const struct smtp_reply *r = smtp_last_reply(c);
	const char *t = sb_str(&r->text);
	const char *nl = strchr(t, '\n');
	/* the reply text without its code and enhanced code, first line */
	if (r->enhanced[0] && strncmp(t, r->enhanced, strlen(r->enhanced)) == 0) {
		t += strlen(r->enhanced);
		while (*t == ' ')
			t++;
	}
	sb_put(out, t, nl ? (size_t)(nl - t) : strlen(t));
}

/* "550 5.7.1 go away": the last reply as sendmail quotes a refusal. */
static void quote_last_reply(const struct smtp_client *c, struct strbuf *out)
{
	const struct smtp_reply *r = smtp_last_reply(c);
	const char *t = sb_str(&r->text);
	sb_printf(out, "%d %.*s", r->code, (int)strcspn(t, "\n"), t);
}

/* The RCPT replies of one transaction, reported as they arrive. */
struct rcpt_watch {
	struct attempt *a;
	struct target **group;
	int accepted;
};

/* "450 4.2.2 mailbox full": a reply as sendmail quotes it, first line. */
static void quote_reply(const struct smtp_rcpt *r, struct strbuf *out)
{
	const char *t = r->text ? r->text : "";
	sb_printf(out, "%d %.*s", r->code, (int)strcspn(t, "\n"), t);
}

static void on_rcpt_reply(void *arg, size_t i, const struct smtp_rcpt *r)
{
	struct rcpt_watch *w = arg;
	struct target *t = w->group[i];
	struct strbuf text = STRBUF_INIT;

	if (r->code / 100 == 2) {
		w->accepted++;
		return;
	}
	quote_reply(r, &text);
	if (r->code / 100 == 5) {
		fail_target(w->a, t, sb_str(&text), EX_UNAVAILABLE);
	} else {
		struct strbuf msg = STRBUF_INIT;
		defer_group(w->a, &w->group[i], 1, sb_str(&text), NULL);
		sb_printf(&msg, "Deferred: %s", sb_str(&text));
		envelope_set(&t->er->statmsg, sb_str(&msg));
		sb_free(&msg);
	}
	sb_free(&text);
}

static void transaction(struct attempt *a, struct smtp_client *c, const struct mailer *m,
			struct target **group, int n)
{
	struct smtp_mail mail = {0};
	struct smtp_rcpt *rcpts = xcalloc((size_t)n, sizeof(*rcpts));
	struct strbuf hdr = STRBUF_INIT, text = STRBUF_INIT;
	struct rcpt_watch watch = {a, group, 0};
	char *from;
	FILE *body;
	int code;
	const char *flags = a->e->flags ? a->e->flags : "";

	remote_name(&a->ctx, a->e->sender ? a->e->sender : "", m, RF_SENDERADDR, &from);
	mail.from = (from && strcmp(from, "<>") != 0) ? from : "";
	mail.size = (unsigned long long)a->o->msgsize;
	mail.body = body_parameter(a);
	/* sendmail repeats an 8BITMIME body type as it was given */
	if (mail.body == SMTP_BODY_8BITMIME)
		mail.body_spelling = a->e->bodytype;
	mail.pipeline_data = true;
	mail.rcpt_reply = on_rcpt_reply;
	mail.rcpt_reply_arg = &watch;
	mail.envid = a->e->envid;
	mail.ret = strchr(flags, 'd') ? (strchr(flags, 'n') ? SMTP_RET_HDRS : SMTP_RET_FULL)
				      : SMTP_RET_UNSPEC;
	mail.auth = a->e->auth;
	for (int i = 0; i < n; i++) {
		rcpts[i].addr = group[i]->r->a.user;
		rcpts[i].notify = notify_bits(group[i]->er->flags);
		rcpts[i].orcpt = group[i]->er->orcpt;
	}
	code = smtp_mail_rcpt(c, &mail, rcpts, (size_t)n);
	if (code < 0) {
		defer_group(a, group, n, strerror(-code), "4.4.2");
		goto out;
	}
	if (code / 100 != 2) {
		quote_last_reply(c, &text);
		for (int i = 0; i < n; i++) {
			if (code / 100 == 5)
				fail_target(a, group[i], sb_str(&text), EX_UNAVAILABLE);
		}
		if (code / 100 != 5)
			defer_group(a, group, n, sb_str(&text), NULL);
		smtp_rset(c);
		goto out;
	}
	if (watch.accepted == 0) {
		/* nothing to send: sendmail resets the transaction */
		smtp_rset(c);
		goto out;
	}
	putheaders(&a->ctx, a->e, m, &hdr);
	lseek(a->dffd, 0, SEEK_SET);
	body = fdopen(dup(a->dffd), "r");
	code = smtp_data(c, hdr.s, hdr.len, body);
	if (body)
		fclose(body);
	sb_reset(&text);
	if (code / 100 == 2) {
		smtp_reply_text(c, &text);
	} else if (code >= 0) {
		quote_last_reply(c, &text);
	}
	for (int i = 0; i < n; i++) {
		struct target *t = group[i];
		if (t->handled || rcpts[i].code / 100 != 2)
			continue;
		if (code / 100 == 2) {
			t->handled = true;
			t->er->done = true;
			a->out->sent++;
		}
	}
	if (code / 100 == 2) {
		struct strbuf msg = STRBUF_INIT;
		struct target **sent = xcalloc((size_t)n, sizeof(*sent));
		int ns = 0;
		for (int i = 0; i < n; i++)
			if (rcpts[i].code / 100 == 2)
				sent[ns++] = group[i];
		sb_printf(&msg, "Sent (%s)", sb_str(&text));
		group_message(a, sent, ns, sb_str(&msg));
		log_group(a, sent, ns, LOG_TO_SENT, "2.0.0", NULL, sb_str(&msg));
		sb_free(&msg);
		free(sent);
	} else if (code / 100 == 5) {
		for (int i = 0; i < n; i++)
			if (!group[i]->handled)
				fail_target(a, group[i], sb_str(&text), EX_UNAVAILABLE);
	} else {
		defer_group(a, group, n, code < 0 ? strerror(-code) : sb_str(&text),
		            code < 0 ? "4.4.2" : NULL);
	}
	if (code >= 0 && code / 100 != 2)
		smtp_rset(c);
out:
	for (int i = 0; i < n; i++)
		smtp_rcpt_clear(&rcpts[i]);
	free(rcpts);
	sb_free(&hdr);
	sb_free(&text);
}

/* One SMTP connection for a group of recipients with the same mailer and host. */
/*
 * "STARTTLS=client, relay=[127.0.0.1], version=TLSv1.3, verify=FAIL,
 * cipher=TLS_AES_256_GCM_SHA384, bits=256/256" once the handshake is done
 * (without a queue ID, as sendmail logs it).  sendmail's second number is
 * the cipher's algorithm bits; GnuTLS gives one key size, used for both.
 */
static void log_tls_session(struct attempt *a, const struct tls_info *ti)
{
	struct log_peer p = {.text = a->host};
	struct log_tls t = {.role = "client", .peer = &p};

	if (a->o->log == NULL || ti->version == NULL)
		return;
	t.version = ti->version;
	t.verify = tls_verify_name(ti->verify);
	t.cipher = ti->cipher ? ti->cipher : "";
	t.bits = t.alg_bits = ti->cipher_bits;
	log_starttls(a->o->log, &t);
}

/*
 * STARTTLS, offered by the server: with the client certificate and CAs of
 * the configuration when it names them.  Returns what smtp_starttls does
 * (the new EHLO's code; a refusal's code, the session going on in clear;
 * -EPROTO/-ETIMEDOUT for a failed handshake), or 250 when no TLS context
 * can be made (sendmail then goes on without TLS too).  The ${verify} and
 * friends of the session become macros of the envelope.
 */
static int start_tls(struct attempt *a, struct smtp_client *c, struct tls_context **ctx)
{
	struct tls_config cfg;
	struct strbuf why = STRBUF_INIT, scratch = STRBUF_INIT;
	static const char *const names[] = {"verify", "tls_version", "cipher", "cipher_bits",
					    "cert_subject", "cert_issuer", "cn_subject",
					    "cn_issuer", NULL};
	int rc;

	tls_config_from_options(&cfg, &a->cf->opt, TLS_ROLE_CLIENT);
	if (tls_context_new(ctx, TLS_ROLE_CLIENT, &cfg, &why) < 0) {
		*ctx = NULL;
		sb_free(&why);
		return 250;
	}
	sb_free(&why);
	rc = smtp_starttls(c, *ctx, NULL);
	if (rc > 0 && (smtp_tls_info(c)->verify == TLS_VERIFY_TEMP ||
		       smtp_tls_info(c)->verify == TLS_VERIFY_PROTOCOL))
		rc = 250; /* STARTTLS refused: the session goes on in clear */
	for (int i = 0; names[i] != NULL; i++) {
		const char *v = tls_info_macro(smtp_tls_info(c), names[i], &scratch);
		if (v != NULL)
			macro_define(a->env, macro_id(a->cf, names[i], true), v);
		sb_reset(&scratch);
	}
	sb_free(&scratch);
	log_tls_session(a, smtp_tls_info(c));
	return rc;
}

static void deliver_group(struct attempt *a, const struct mailer *m, const char *host,
			  struct target **group, int n)
{
	struct cf *cf = a->cf;
	struct smtp_client_opts co = {0};
	struct smtp_client *c;
	struct strbuf j = STRBUF_INIT, msg = STRBUF_INIT;
	const char *helo = cf->opt.str[OPT_HeloName];
	struct tls_context *tls = NULL;
	int rc;

	macro_expand(cf, a->env, helo ? helo : macro_get(a->env, 'j'), &j);
	co.helo_name = sb_str(&j);
	smtp_timeouts_from_options(&co.timeouts, &cf->opt);
	if (a->o->transcript != NULL) {
		co.transcript = transcript_line;
		co.transcript_arg = a->o->transcript;
	}
	sb_printf(&msg, "Connecting to %s via %s...", host, m->name);
	group_message(a, group, n, sb_str(&msg));
	c = smtp_client_new(&co);
	a->mailer = m->name;
	a->host = host;
	a->peer = NULL;
	a->start = time(NULL);
	rc = smtp_connect(c, host, mailer_port(cf, m));
	if (rc < 0) {
		sb_reset(&msg);
		sb_printf(&msg, "%s by %s", strerror(-rc), host);
		defer_group(a, group, n, sb_str(&msg), "4.4.1");
		goto out;
	}
	a->peer = smtp_peer_addr(c);
	rc = smtp_greeting(c);
	if (rc == 220)
		rc = smtp_ehlo(c);
	if (rc / 100 == 2 && (smtp_extensions(c)->flags & EXT_STARTTLS))
		rc = start_tls(a, c, &tls);
	if (rc == -EPROTO || rc == -ETIMEDOUT) {
		/* sendmail's words for a handshake that failed */
		defer_group(a, group, n, "403 4.7.0 TLS handshake failed.", NULL);
		goto out;
	}
	if (rc < 0 || rc / 100 != 2) {
		sb_reset(&msg);
		if (rc < 0)
			sb_printf(&msg, "%s with %s", strerror(-rc), host);
		else
			smtp_reply_text(c, &msg);
		defer_group(a, group, n, sb_str(&msg), rc < 0 ? "4.4.2" : NULL);
		goto out;
	}
	/* where sendmail would authenticate: it logs the offer even without credentials */
	if (a->o->log != NULL && (smtp_extensions(c)->flags & EXT_AUTH))
		log_auth_client(a->o->log, host, "", 0);
	transaction(a, c, m, group, n);
	if (a->o->transcript != NULL)
		fprintf(a->o->transcript, "Closing connection to %s\n", host);
	smtp_quit(c);
out:
	a->peer = NULL;
	smtp_client_free(c);
	if (tls != NULL)
		tls_context_free(tls);
	sb_free(&j);
	sb_free(&msg);
}

/* Resolve every pending recipient of the envelope. */
static int resolve(struct attempt *a, struct target **targets)
{
	int n = 0, cap = 0;
	for (struct env_rcpt *er = a->e->rcpts; er; er = er->next) {
		struct rcpt_list list;
		if (er->done)
			continue;
		rcpt_list_init(&list, &a->ctx);
		rcpt_send_to_list(&list, er->addr);
		for (struct recipient *r = list.queue; r; r = r->next) {
			if (!rcpt_is_good(r))
				continue;
			if (n + 1 >= cap) {
				cap = cap ? cap * 2 : 16;
				*targets = xrealloc(*targets, (size_t)cap * sizeof(**targets));
			}
			(*targets)[n].er = er;
			(*targets)[n].r = r;
			(*targets)[n].handled = false;
			n++;
		}
		if (list.queue == NULL || rcpt_count_good(&list) == 0) {
			er->done = true; /* the error was printed while parsing */
			a->out->failed++;
		}
	}
	return n;
}

/* The envelope's own macros ($_, ${daemon_flags}, ...) from its qf. */
static void define_envelope_macros(struct cf *cf, struct macro_env *env, const struct envelope *e)
{
	for (const struct env_macro *m = e->macros; m != NULL; m = m->next) {
		char name[64];
		size_t n = strlen(m->name);
		if (n > 2 && m->name[0] == '{' && m->name[n - 1] == '}')
			snprintf(name, sizeof(name), "%.*s", (int)(n - 2), m->name + 1);
		else
			snprintf(name, sizeof(name), "%s", m->name);
		macro_define(env, macro_id(cf, name, true), m->value);
	}
}

static bool same_route(const struct recipient *x, const struct recipient *y)
{
	return x->a.mailer == y->a.mailer &&
	       strcasecmp(x->a.host ? x->a.host : "", y->a.host ? y->a.host : "") == 0;
}

int deliver_envelope(struct cf *cf, struct macro_env *env, struct envelope *e, int dffd,
		     const struct deliver_opts *o, struct deliver_outcome *out)
{
	struct attempt a = {cf, env, e, dffd, o, out, {0}, POOL_INIT};
	struct target *targets = NULL;
	struct address from;
	int n;

	memset(out, 0, sizeof(*out));
	a.ctx = (struct rw_ctx){.cf = cf, .env = env, .pool = &a.pool};
	set_sender(&a.ctx, e->sender ? e->sender : "", &from);
	define_envelope_macros(cf, env, e);
	macro_define(env, 'i', e->id);
	n = resolve(&a, &targets);
	for (int i = 0; i < n; i++) {
		struct target **group;
		int gn = 0;
		const struct mailer *m = targets[i].r->a.mailer;
		if (targets[i].handled)
			continue;
		group = xcalloc((size_t)n, sizeof(*group));
		/* sendmail hands a group to the mailer last recipient first */
		for (int k = n - 1; k >= i; k--)
			if (!targets[k].handled && same_route(targets[k].r, targets[i].r))
				group[gn++] = &targets[k];
		if (m != NULL && m->path != NULL && strcmp(m->path, "[IPC]") == 0) {
			deliver_group(&a, m, targets[i].r->a.host ? targets[i].r->a.host : "", group,
				      gn);
		} else {
			char why[160];
			snprintf(why, sizeof(why), "mailer %s is run by the MTA, not by sendmail -bm",
				 m ? m->name : "?");
			a.mailer = m ? m->name : NULL;
			a.host = NULL;
			a.start = time(NULL);
			defer_group(&a, group, gn, why, "4.0.0");
		}
		free(group);
	}
	free(targets);
	pool_release(&a.pool);
	return 0;
}
