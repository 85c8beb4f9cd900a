/*
 * server: the ESMTP server session's command loop and the commands that
 * are not part of a mail transaction (server.h, session.h).
 */
#include "smtp/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/daemonopts.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "cf/options.h"
#include "dns/resolve.h"
#include "msg/arpadate.h"
#include "queue/loadlimit.h"
#include "rules/parseaddr.h"
#include "rules/rewrite.h"
#include "rules/token.h"
#include "smtp/auth.h"
#include "smtp/helpfile.h"
#include "smtp/session.h"
#include "smtp/session_log.h"
#include "smtp/session_milter.h"
#include "stats/stats.h"
#include "tls/tls.h"
#include "util/xalloc.h"

/* ---- replies ------------------------------------------------------------- */

static int timeout_ms(const struct session *s, enum timeout_id id)
{
	long long sec = s->cf->opt.timeout[id];
	return sec > 0 ? (int)(sec * 1000) : -1;
}

int session_flush(struct session *s, bool force)
{
	if (!force && io_pending(&s->io) > 0)
		return 0;
	return io_flush(&s->io, timeout_ms(s, TO_command));
}

static void put_line(struct session *s, const char *code, char sep, const char *dsn,
		     const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "%s%c", code, sep);
	if (dsn != NULL && *dsn)
		sb_printf(&sb, "%s ", dsn);
	sb_puts(&sb, text);
	if (s->replies_muted) {
		/* kept for later (tls_client's refusal), not sent now */
		sb_reset(&s->muted_reply);
		sb_puts(&s->muted_reply, sb_str(&sb));
	} else {
		sb_puts(&sb, "\r\n");
		io_write(&s->io, sb.s, sb.len, timeout_ms(s, TO_command));
	}
	sb_free(&sb);
}

void session_reply(struct session *s, const char *code, const char *fmt, ...)
{
	struct strbuf text = STRBUF_INIT;
	char num[4];
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&text, fmt, ap);
	va_end(ap);
	snprintf(num, sizeof(num), "%.3s", code);
	put_line(s, num, ' ', code[3] == ' ' ? code + 4 : NULL, sb_str(&text));
	if (code[0] == '5') {
		sb_reset(&s->last_error);
		sb_puts(&s->last_error, sb_str(&text));
		if (strncmp(code, "553", 3) == 0)
			s->status = EX_NOUSER; /* what sendmail -bs exits with then */
	}
	sb_free(&text);
}

void session_reply_lines(struct session *s, const char *code, const char *dsn, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *one = xstrndup(p, n);
		put_line(s, code, nl && nl[1] ? '-' : ' ', dsn, one);
		free(one);
		p += n + (nl ? 1 : 0);
	}
}

/* A reply line's text: what follows its code and DSN code. */
static const char *reply_text(const char *line, size_t n)
{
	const char *text = line + 4;
	size_t skip = 0;

	while (skip < n - 4 && (isdigit((unsigned char)text[skip]) || text[skip] == '.'))
		skip++;
	if (skip > 0 && skip < n - 4 && text[skip] == ' ')
		text += skip + 1;
	return text;
}

/*
 * CRLF-separated reply lines as they are.  A refusal is the queue
 * entry's status as sendmail 8.17.1 keeps it (observed): the first
 * line's text, then every further line whole, codes included, each
 * after CR and a space: the reply's CRLF with the LF made a space
 * ("<a@b>... No mail\r 553 5.1.3 Really not.").
 */
void session_reply_raw(struct session *s, const char *lines)
{
	bool refusal = (lines[0] == '4' || lines[0] == '5') && strlen(lines) > 4;
	const char *p = lines;

	if (refusal)
		sb_reset(&s->last_error);
	while (*p) {
		const char *end = strstr(p, "\r\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		io_write(&s->io, p, n, timeout_ms(s, TO_command));
		io_write(&s->io, "\r\n", 2, timeout_ms(s, TO_command));
		if (refusal && p == lines) {
			const char *text = n > 4 ? reply_text(p, n) : p + n;
			sb_put(&s->last_error, text, (size_t)(p + n - text));
		} else if (refusal) {
			sb_puts(&s->last_error, "\r "); /* the qf line's LF as a space */
			sb_put(&s->last_error, p, n);
		}
		p += n + (end ? 2 : 0);
	}
}

/* ---- the VERB transcript ----------------------------------------------------- */

struct transcript_sink {
	struct session *s;
	struct strbuf partial; /* a line not ended yet */
};

static ssize_t transcript_write(void *cookie, const char *buf, size_t size)
{
	struct transcript_sink *t = cookie;

	for (size_t i = 0; i < size; i++) {
		if (buf[i] != '\n') {
			sb_putc(&t->partial, buf[i]);
			continue;
		}
		put_line(t->s, "050", ' ', NULL, sb_str(&t->partial));
		sb_reset(&t->partial);
	}
	session_flush(t->s, true);
	return (ssize_t)size;
}

static int transcript_close(void *cookie)
{
	struct transcript_sink *t = cookie;

	if (t->partial.len > 0)
		put_line(t->s, "050", ' ', NULL, sb_str(&t->partial));
	session_flush(t->s, true);
	sb_free(&t->partial);
	free(t);
	return 0;
}

FILE *session_transcript_open(struct session *s)
{
	static const cookie_io_functions_t io = {.write = transcript_write,
	                                         .close = transcript_close};
	struct transcript_sink *t = xcalloc(1, sizeof(*t));
	FILE *f;

	t->s = s;
	f = fopencookie(t, "w", io);
	if (f == NULL)
		free(t);
	else
		setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

/* ---- messages of the address code ---------------------------------------- */

static void sink_emit(void *arg, const char *code, const char *text)
{
	struct session *s = arg;
	if (code == NULL || code[0] == '0') {
		/* a note: shown only in VERB mode, as sendmail's 05x lines */
		if (s->verbose)
			put_line(s, "050", ' ', NULL, text);
		return;
	}
	if (s->have_err)
		return;
	snprintf(s->err_code, sizeof(s->err_code), "%s", code);
	sb_reset(&s->err_text);
	sb_puts(&s->err_text, text);
	s->have_err = true;
}

void session_catch_begin(struct session *s)
{
	s->have_err = false;
	sb_reset(&s->err_text);
	s->cf->sink = &s->sink;
}

void session_catch_end(struct session *s)
{
	s->cf->sink = NULL;
}

/* ---- policy rulesets ----------------------------------------------------- */

/*
 * The workspace of a check ruleset: `p1`, or `p1 $| p2` as sendmail joins
 * two arguments.  False when the text cannot be tokenized.
 */
static bool check_workspace(struct cf *cf, struct pool *pool, const char *p1, const char *p2,
			    char **pvp)
{
	static char pair_sep[] = {(char)META_CONDELSE, '\0'};
	char *second[MAXATOM + 1];
	int n1, n2 = 0;

	n1 = tok_scan(cf, p1, '\0', TOK_ADDR, pvp, pool, NULL);
	if (n1 < 0)
		n1 = 0;
	if (p2 != NULL) {
		n2 = tok_scan(cf, p2, '\0', TOK_ADDR, second, pool, NULL);
		if (n2 < 0)
			n2 = 0;
		if (n1 + n2 + 1 > MAXATOM)
			return false;
		pvp[n1++] = pair_sep;
		memcpy(pvp + n1, second, (size_t)n2 * sizeof(*pvp));
	}
	pvp[n1 + n2] = NULL;
	return true;
}

enum {
	CHECK_ADDRESS = 1, /* the input is an address, named in the refusal ("a@b... text") */
	CHECK_NOQID = 2,   /* log lines without a queue ID, as sendmail's NOQID */
};

static bool run_check(struct session *s, const char *ruleset, const char *p1, const char *p2,
                      const char *fallback_code, unsigned flags);

bool session_check(struct session *s, const char *ruleset, const char *input,
		   const char *fallback_code)
{
	return run_check(s, ruleset, input, NULL, fallback_code, CHECK_ADDRESS);
}

bool session_check2(struct session *s, const char *ruleset, const char *p1, const char *p2,
		    const char *fallback_code)
{
	return run_check(s, ruleset, p1, p2, fallback_code, 0);
}

/* sendmail 8.17.1 runs check_etrn with no queue ID in its log lines */
static bool check_etrn(struct session *s, const char *arg)
{
	return run_check(s, "check_etrn", arg, NULL, "553 5.0.0", CHECK_NOQID);
}

/*
 * The statistics file, as sendmail counts a transaction: per mailer of
 * the sender (nothing before MAIL), and a refusal or a discard also in
 * the third column of the C line.
 */
void session_count_message(struct session *s, enum stats_kind kind, long long bytes)
{
	const char *path = s->cf->opt.str[OPT_StatusFile];

	if (path == NULL)
		return;
	if (s->from_mailer >= 0)
		(void)stats_add(path, kind, s->from_mailer, (uint64_t)bytes);
	if (kind == STATS_REJECT || kind == STATS_DISCARD)
		(void)stats_add(path, STATS_CONN_REJECT, 0, 0);
}

/* `flags`: CHECK_* */
static bool run_check(struct session *s, const char *ruleset, const char *p1, const char *p2,
                      const char *fallback_code, unsigned flags)
{
	struct cf *cf = s->cf;
	int rs = cf_ruleset_find(cf, ruleset);
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {cf, &s->env, &pool, false, NULL};
	char *pvp[MAXATOM + 1];
	struct address a;
	bool pass = true;
	const char *input = (flags & CHECK_ADDRESS) ? p1 : NULL;
	const char *qid = (flags & CHECK_NOQID) ? NULL : session_log_qid(s);

	if (rs < 0 || cf->rulesets[rs].rules == NULL)
		return true;
	if (!check_workspace(cf, &pool, p1, p2, pvp)) {
		pool_release(&pool);
		return true;
	}
	rw_rewrite(&ctx, pvp, rs, 0);
	if (pvp[0] != NULL && (unsigned char)pvp[0][0] == META_CANONNET && pvp[1] != NULL) {
		if (strcasecmp(pvp[1], "error") == 0) {
			session_catch_begin(s);
			build_address_from(&ctx, input, pvp, 0, &a);
			session_catch_end(s);
			if (a.exit_status != 0)
				s->status = a.exit_status; /* sendmail -bs exits with it */
			if (s->have_err) {
				session_reply(s, s->err_code, "%s", sb_str(&s->err_text));
				session_log_reject(s, qid, ruleset, p1, p2, s->err_code,
				                   sb_str(&s->err_text));
			} else {
				session_reply(s, fallback_code, "%s", "Access denied");
				session_log_reject(s, qid, ruleset, p1, p2, fallback_code,
				                   "Access denied");
			}
			pass = false;
			session_count_message(s, STATS_REJECT, 0);
		} else if (strcasecmp(pvp[1], "discard") == 0) {
			s->discard = true;
			session_log_reject(s, qid, ruleset, p1, p2, NULL, NULL);
		}
	}
	pool_release(&pool);
	return pass;
}

/* ---- session macros ------------------------------------------------------ */

static void define(struct session *s, const char *name, const char *value)
{
	macro_define(&s->env, macro_id(s->cf, name, true), value);
}


/*
 * ${daemon_flags} as sendmail 8.17.1 sets it from M=: the letters in their
 * order, separated by spaces, an upper-case one doubled ("M=hC" gives
 * "h CC"), so that rulesets can match each one as a token.
 */
static void daemon_flags_text(const char *modifiers, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (const char *m = modifiers; *m && n + 4 < size; m++) {
		if (!isalpha((unsigned char)*m))
			continue;
		if (n > 0)
			out[n++] = ' ';
		out[n++] = *m;
		if (isupper((unsigned char)*m))
			out[n++] = *m;
		out[n] = '\0';
	}
}
static void define_client(struct session *s)
{
	const struct smtp_server_config *c = s->cfg;
	char addr[INET6_ADDRSTRLEN + 8] = "", name[256] = "", port[16] = "0", id[600];
	int rc;

	if (c->stdio || c->peer == NULL) {
		define(s, "client_addr", "0");
		define(s, "client_port", "0");
		define(s, "daemon_flags", "c u");
		define(s, "_", c->ident ? c->ident : "root@localhost");
		return;
	}
	if (c->peer->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)c->peer;
		inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
		snprintf(port, sizeof(port), "%u", ntohs(in->sin_port));
	} else if (c->peer->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)c->peer;
		char a6[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &in6->sin6_addr, a6, sizeof(a6));
		snprintf(addr, sizeof(addr), "IPv6:%s", a6);
		snprintf(port, sizeof(port), "%u", ntohs(in6->sin6_port));
	}
	define(s, "client_addr", addr);
	define(s, "client_port", port);
	rc = addr[0] ? dns_reverse(s->cf, addr, name, sizeof(name)) : EX_NOHOST;
	if (rc == 0) {
		define(s, "client_name", name);
		define(s, "client_ptr", name);
		define(s, "client_resolve", "OK");
		snprintf(id, sizeof(id), "%s [%s]", name, addr);
	} else {
		snprintf(id, sizeof(id), "[%s]", addr);
		define(s, "client_name", id);
		define(s, "client_resolve", rc == EX_TEMPFAIL ? "TEMP" : "FAIL");
	}
	define(s, "_", id);
	if (c->port != NULL) {
		define(s, "daemon_name", c->port->name);
		char flags[3 * sizeof(c->port->modifiers)];
		daemon_flags_text(c->port->modifiers, flags, sizeof(flags));
		define(s, "daemon_flags", flags);
	}
}

static void session_init(struct session *s, struct cf *cf, const struct smtp_server_config *c)
{
	const char *j;
	memset(s, 0, sizeof(*s));
	s->from_mailer = -1;
	s->cf = cf;
	s->cfg = c;
	io_init(&s->io, c->rfd, c->wfd, SMTP_SERVER_LINE_MAX);
	s->env.parent = &cf->macros;
	s->sink.emit = sink_emit;
	s->sink.arg = s;
	sb_init(&s->err_text);
	sb_init(&s->last_error);
	sb_init(&s->deferred);
	sb_init(&s->muted_reply);
	j = macro_get(&cf->macros, 'j');
	snprintf(s->hostname, sizeof(s->hostname), "%s", j ? j : "localhost");
	envelope_init(&s->e);
	define_client(s);
	for (const char *const *m = c->extra_macros; m && m[0] && m[1]; m += 2)
		define(s, m[0], m[1]);
	{
		/* $b in the greeting: the time the session started */
		char date[64];
		arpadate(time(NULL), date, sizeof(date));
		macro_define(&s->env, 'b', date);
	}
}

static void session_free(struct session *s)
{
	transaction_reset(s);
	auth_session_free(s);
	envelope_free(&s->e);
	if (s->tls != NULL)
		tls_session_free(s->tls);
	io_release(&s->io);
	macro_env_clear(&s->env);
	sb_free(&s->err_text);
	sb_free(&s->last_error);
	sb_free(&s->deferred);
	sb_free(&s->muted_reply);
	free(s->nullserver);
	s->cf->sink = NULL;
}

/* ---- the greeting -------------------------------------------------------- */

/* sendmail puts "ESMTP" after the first word of SmtpGreetingMessage. */
static void greet(struct session *s, const char *code)
{
	const char *msg = s->cf->opt.str[OPT_SmtpGreetingMessage];
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	char *t;
	size_t first;

	macro_expand(s->cf, &s->env, msg ? msg : "$j Sendmail $v ready at $b", &text);
	t = text.s ? text.s : "";
	first = strcspn(t, " \t\n");
	sb_put(&out, t, first);
	sb_puts(&out, " ESMTP");
	sb_puts(&out, t + first);
	session_reply_lines(s, code, NULL, sb_str(&out));
	sb_free(&text);
	sb_free(&out);
}

/* ---- HELO / EHLO --------------------------------------------------------- */

static bool privacy(const struct session *s, unsigned long long flag)
{
	return (s->cf->opt.num[OPT_PrivacyOptions] & (long long)flag) != 0;
}

static bool port_modifier(const struct session *s, char m)
{
	return s->cfg->port != NULL && daemon_has_modifier(s->cfg->port, m);
}

bool session_feature(const struct session *s, char letter)
{
	return strchr(s->features, letter) != NULL;
}

bool session_offers_dsn(const struct session *s)
{
	return !privacy(s, PRIV_NORECEIPTS) && !session_feature(s, 'D');
}

/* What the port, the privacy options and srv_features leave on. */
static bool offer_expn(const struct session *s)
{
	return !privacy(s, PRIV_NOEXPN) && !session_feature(s, 'X');
}

static bool offer_verb(const struct session *s)
{
	/* noexpn implies noverb, as in sendmail */
	return !privacy(s, PRIV_NOVERB) && !privacy(s, PRIV_NOEXPN) && !session_feature(s, 'X') &&
	       !session_feature(s, 'B');
}

static bool offer_etrn(const struct session *s)
{
	return !privacy(s, PRIV_NOETRN) && !port_modifier(s, 'E') && !session_feature(s, 'E');
}

static bool offer_starttls(const struct session *s)
{
	return !s->cfg->stdio && s->cfg->tls != NULL && !port_modifier(s, 'S') &&
	       !session_feature(s, 'S');
}

static void ehlo_keywords(struct session *s, struct strbuf *out)
{
	long long max = s->cf->opt.num[OPT_MaxMessageSize];

	sb_puts(out, "ENHANCEDSTATUSCODES\n");
	if (!session_feature(s, 'P'))
		sb_puts(out, "PIPELINING\n");
	if (offer_expn(s))
		sb_puts(out, "EXPN\n");
	if (offer_verb(s))
		sb_puts(out, "VERB\n");
	sb_puts(out, "8BITMIME\n");
	if (max > 0)
		sb_printf(out, "SIZE %lld\n", max);
	else
		sb_puts(out, "SIZE\n");
	if (session_offers_dsn(s))
		sb_puts(out, "DSN\n");
	if (offer_etrn(s))
		sb_puts(out, "ETRN\n");
	auth_ehlo_keyword(s, out);
	if (offer_starttls(s) && !s->tls_active)
		sb_puts(out, "STARTTLS\n");
	sb_puts(out, "DELIVERBY\nHELP");
}

/* The name HELO/EHLO greets the client by ($_ in -bs, else the client). */
static const char *hello_name(struct session *s)
{
	const char *v = macro_get(&s->env, '_');
	return v ? v : "";
}

void session_define_protocol(struct session *s)
{
	char proto[16];
	snprintf(proto, sizeof(proto), "%s%s%s", s->esmtp ? "ESMTP" : "SMTP", s->tls_active ? "S" : "",
		 s->authenticated ? "A" : "");
	macro_define(&s->env, 'r', proto);
}

static void cmd_helo(struct session *s, const char *verb, char *args, bool extended)
{
	struct strbuf text = STRBUF_INIT;

	while (*args == ' ' || *args == '\t')
		args++;
	if (*args == '\0') {
		session_reply(s, "501 5.0.0", "%s requires domain address", verb);
		return;
	}
	transaction_end(s);
	if (s->helo_done)
		session_id_done(s); /* a second HELO/EHLO drops the ID, as RSET */
	macro_define(&s->env, 's', args);
	if (!session_milter_helo(s, args))
		return; /* the filters closed the session */
	s->helo_done = true;
	s->esmtp = extended;
	session_define_protocol(s);
	sb_printf(&text, "%s Hello %s, pleased to meet you", s->hostname, hello_name(s));
	if (extended) {
		sb_putc(&text, '\n');
		ehlo_keywords(s, &text);
	}
	session_reply_lines(s, "250", NULL, sb_str(&text));
	sb_free(&text);
}

/* ---- the other commands -------------------------------------------------- */

static void cmd_help(struct session *s, char *args)
{
	const char *path = s->cf->opt.str[OPT_HelpFile];
	struct strbuf text = STRBUF_INIT, topic = STRBUF_INIT;
	int rc;

	while (*args == ' ' || *args == '\t')
		args++;
	for (char *p = args; *p && *p != ' ' && *p != '\t'; p++)
		sb_putc(&topic, (char)tolower((unsigned char)*p));
	if (topic.len == 0)
		sb_puts(&topic, "smtp");
	rc = path ? helpfile_topic(s->cf, &s->env, path, sb_str(&topic), &text) : -ENOENT;
	if (rc > 0) {
		sb_puts(&text, "\nEnd of HELP info");
		session_reply_lines(s, "214", "2.0.0", sb_str(&text));
	} else if (rc == 0) {
		session_reply(s, "504 5.3.0", "HELP topic \"%s\" unknown", sb_str(&topic));
	} else {
		session_reply(s, "502 5.3.0", "Sendmail %s -- HELP not implemented",
			      macro_get(&s->env, 'v') ? macro_get(&s->env, 'v') : "");
	}
	sb_free(&text);
	sb_free(&topic);
}

/* The GECOS full name up to the first comma. */
static const char *gecos_name(const struct passwd *pw, char *name, size_t size)
{
	snprintf(name, size, "%s", pw->pw_gecos ? pw->pw_gecos : "");
	name[strcspn(name, ",")] = '\0';
	return name[0] ? name : pw->pw_name;
}

/* VRFY and EXPN: the address resolved as for RCPT, local users named. */
static void cmd_verify(struct session *s, const char *verb, char *args)
{
	bool expn = strcasecmp(verb, "EXPN") == 0;
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {s->cf, &s->env, &pool, false, NULL};
	struct rcpt_list list;
	struct recipient **sorted;

	s->issued_mail = true;
	if (!s->helo_done && privacy(s, expn ? PRIV_NEEDEXPNHELO : PRIV_NEEDVRFYHELO)) {
		session_reply(s, "503 5.0.0", "I demand that you introduce yourself first");
		return;
	}
	if (expn && !offer_expn(s)) {
		session_reply(s, "502 5.7.0", "Sorry, we do not allow this operation");
		return;
	}
	if (!expn && privacy(s, PRIV_NOVRFY)) {
		session_reply(s, "252 2.5.2",
			      "Cannot VRFY user; try RCPT to attempt delivery (or try finger)");
		return;
	}
	while (*args == ' ' || *args == '\t')
		args++;
	if (*args == '\0') {
		session_reply(s, "501 5.5.2", "Argument required");
		return;
	}
	session_log_verify(s, expn, args);
	session_catch_begin(s);
	rcpt_list_init(&list, &ctx);
	rcpt_send_to_list(&list, args);
	session_catch_end(s);
	sorted = rcpt_sorted(&list);
	if (sorted[0] == NULL) {
		if (s->have_err)
			session_reply(s, s->err_code, "%s", sb_str(&s->err_text));
		else
			session_reply(s, "553 5.1.3", "%s... Unbalanced address", args);
	}
	for (int i = 0; sorted[i]; i++) {
		const struct address *a = &sorted[i]->a;
		char code[16], full[256];
		struct passwd *pw = NULL;
		/* VRFY of an address whose mailer lacks F=q: 252, "cannot verify" */
		bool sure = expn || (a->mailer != NULL && mailer_has_flag(a->mailer, 'q'));
		snprintf(code, sizeof(code), "%s%c2.1.5", sure ? "250" : "252",
			 sorted[i + 1] ? '-' : ' ');
		if (a->mailer == s->cf->local_mailer)
			pw = getpwnam(a->user);
		if (pw != NULL)
			session_reply(s, code, "%s <%s@%s>", gecos_name(pw, full, sizeof(full)),
				      a->user, s->hostname);
		else
			session_reply(s, code, "<%s>", sorted[i]->printed);
	}
	pool_release(&pool);
}

static void cmd_etrn(struct session *s, char *args)
{
	s->issued_mail = true;
	if (!offer_etrn(s)) {
		session_reply(s, "502 5.7.0", "Sorry, we do not allow this operation");
		return;
	}
	while (*args == ' ' || *args == '\t')
		args++;
	if (*args == '\0') {
		session_reply(s, "500 5.5.2", "Parameter required");
		return;
	}
	if (!check_etrn(s, args))
		return;
	session_log_etrn(s, args);
	/* sdmail has one queue group, sendmail's default one */
	if (args[0] == '#' && strcmp(args + 1, "mqueue") != 0) {
		session_reply(s, "459 4.5.4", "Queue %s unknown", args + 1);
		return;
	}
	if (s->cfg->etrn != NULL) {
		struct strbuf match = STRBUF_INIT;
		if (args[0] == '@')
			sb_puts(&match, args + 1);
		else if (args[0] != '#')
			sb_printf(&match, "@%s", args);
		s->cfg->etrn(s->cfg->etrn_arg, s->cf, args[0] == '#' ? NULL : sb_str(&match),
		             s->cfg->rfd, s->cfg->wfd);
		sb_free(&match);
	}
	if (args[0] == '#')
		session_reply(s, "250 2.0.0", "Queuing for queue group %s started", args + 1);
	else
		session_reply(s, "250 2.0.0", "Queuing for node %s started", args);
}

static bool start_tls(struct session *s);

/*
 * tls_client with ${verify} $| STARTTLS once the handshake is done (the
 * access map's TLS_Clt: entries): a refusal is not answered now but
 * stands for every later command but QUIT, HELO, EHLO, NOOP, RSET and
 * HELP, as sendmail does.
 */
static void tls_client_check(struct session *s)
{
	const char *verify = macro_get(&s->env, macro_id(s->cf, "verify", true));
	struct strbuf saved = STRBUF_INIT;

	sb_puts(&saved, sb_str(&s->last_error));
	s->replies_muted = true;
	if (!session_check2(s, "tls_client", verify ? verify : "", "STARTTLS", "503 5.7.0")) {
		free(s->nullserver);
		s->nullserver = xstrdup(s->muted_reply.len ? sb_str(&s->muted_reply)
							   : "503 5.7.0 Authentication required.");
	}
	s->replies_muted = false;
	sb_reset(&s->muted_reply);
	sb_reset(&s->last_error);
	sb_puts(&s->last_error, sb_str(&saved));
	sb_free(&saved);
}

static void cmd_starttls(struct session *s, char *args)
{
	while (*args == ' ' || *args == '\t')
		args++;
	if (*args != '\0') {
		session_reply(s, "501 5.5.2", "Syntax error (no parameters allowed)");
		return;
	}
	if (s->tls_active) {
		session_reply(s, "503 5.5.1", "TLS already active");
		return;
	}
	if (!offer_starttls(s)) {
		session_reply(s, "454 4.3.3", "TLS not available after start");
		return;
	}
	session_reply(s, "220 2.0.0", "Ready to start TLS");
	session_flush(s, true);
	/* RFC 3207 / CVE-2011-0411: nothing sent before the handshake counts */
	io_discard_input(&s->io);
	if (!start_tls(s)) {
		s->quitting = true; /* sendmail drops the connection */
		return;
	}
	/* a new session: HELO again, the transaction is gone */
	s->helo_done = false;
	transaction_end(s);
	tls_client_check(s);
}

/* The handshake, then ${verify} and friends; false when it failed. */
static bool start_tls(struct session *s)
{
	if (tls_session_new(&s->tls, s->cfg->tls, s->cfg->rfd, s->cfg->wfd, NULL) < 0 ||
	    tls_handshake(s->tls, timeout_ms(s, TO_starttls)) < 0 ||
	    io_start_tls(&s->io, s->tls) < 0)
		return false;
	s->tls_active = true;
	{
		struct tls_info info;
		struct strbuf scratch = STRBUF_INIT;
		static const char *const names[] = {"verify", "tls_version", "cipher",
						    "cipher_bits", "cert_subject", "cert_issuer",
						    "cn_subject", "cn_issuer", NULL};
		tls_info_init(&info);
		tls_session_info(s->tls, &info);
		for (int i = 0; names[i]; i++) {
			const char *v = tls_info_macro(&info, names[i], &scratch);
			if (v != NULL)
				define(s, names[i], v);
			sb_reset(&scratch);
		}
		sb_free(&scratch);
		tls_info_free(&info);
	}
	session_log_starttls(s);
	return true;
}

/* ---- the loop ------------------------------------------------------------ */

struct command {
	const char *name;
	int id;
};

enum {
	C_HELO,
	C_EHLO,
	C_MAIL,
	C_RCPT,
	C_DATA,
	C_RSET,
	C_NOOP,
	C_QUIT,
	C_HELP,
	C_VRFY,
	C_EXPN,
	C_VERB,
	C_ETRN,
	C_AUTH,
	C_STARTTLS,
	C_UNKNOWN,
};

static const struct command commands[] = {
	{"HELO", C_HELO}, {"EHLO", C_EHLO}, {"MAIL", C_MAIL},     {"RCPT", C_RCPT},
	{"DATA", C_DATA}, {"RSET", C_RSET}, {"NOOP", C_NOOP},     {"QUIT", C_QUIT},
	{"HELP", C_HELP}, {"VRFY", C_VRFY}, {"EXPN", C_EXPN},     {"VERB", C_VERB},
	{"ETRN", C_ETRN}, {"AUTH", C_AUTH}, {"STARTTLS", C_STARTTLS},
};

static int lookup_command(const char *verb)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcasecmp(commands[i].name, verb) == 0)
			return commands[i].id;
	return C_UNKNOWN;
}

/*
 * DelayLA as sendmail 8.17.1 was seen applying it in its server: the first
 * command of a session other than RSET, QUIT or an unknown one waits a
 * second when the load average is at DelayLA, and is logged by name
 * (HELO as "EHLO", as sendmail names it).
 */
static void delay_first_command(struct session *s, int id)
{
	long long limit = s->cf->opt.num[OPT_DelayLA];
	const char *name = "EHLO";
	int la;

	if (s->delay_checked || id == C_UNKNOWN || id == C_RSET || id == C_QUIT)
		return;
	s->delay_checked = true;
	if (limit <= 0 || (la = load_average()) < limit)
		return;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].id == id && id != C_HELO)
			name = commands[i].name;
	session_log_delaying(s, name, la, limit);
	sleep(1);
}

static void bad_command(struct session *s, const char *verb)
{
	if (++s->bad_commands >= SMTP_MAX_BAD_COMMANDS) {
		session_reply(s, "421 4.7.0", "%s Too many bad commands; closing connection",
			      s->hostname);
		s->quitting = true;
		return;
	}
	session_reply(s, "500 5.5.1", "Command unrecognized: \"%s\"", verb);
}

/*
 * Commands a client repeats to harvest addresses or tie the server up, as
 * sendmail 8.17.1 counts them per session: HELO and EHLO together (3),
 * VRFY and EXPN together (6), ETRN (8), NOOP and VERB together (20).  At
 * the limit the command is logged as a possible attack; from there on
 * each one waits 1, 2, 4... seconds (at most four minutes) before it is
 * answered.
 */
enum attack_class { ATTACK_HELO, ATTACK_VERIFY, ATTACK_ETRN, ATTACK_NOOP, ATTACK_CLASSES };

static const int attack_limit[ATTACK_CLASSES] = {3, 6, 8, 20};

#define ATTACK_MAX_DELAY 240

static int attack_class_of(int id)
{
	switch (id) {
	case C_HELO:
	case C_EHLO:
		return ATTACK_HELO;
	case C_VRFY:
	case C_EXPN:
		return ATTACK_VERIFY;
	case C_ETRN:
		return ATTACK_ETRN;
	case C_NOOP:
	case C_VERB:
		return ATTACK_NOOP;
	default:
		return -1;
	}
}

static const char *attack_name(int id)
{
	switch (id) {
	case C_HELO:
	case C_EHLO:
		return "HELO/EHLO";
	case C_VRFY:
		return "VRFY";
	case C_EXPN:
		return "EXPN";
	case C_ETRN:
		return "ETRN";
	case C_VERB:
		return "VERB";
	default:
		return "NOOP";
	}
}

static void count_repeated_command(struct session *s, int id)
{
	int c = attack_class_of(id), over;
	unsigned delay;

	if (c < 0)
		return;
	s->attack_count[c]++;
	over = s->attack_count[c] - attack_limit[c];
	if (over < 0)
		return;
	if (over == 0)
		session_log_attack(s, attack_name(id), s->attack_count[c]);
	delay = over < 8 ? 1u << over : ATTACK_MAX_DELAY;
	sleep(delay < ATTACK_MAX_DELAY ? delay : ATTACK_MAX_DELAY);
}

static void dispatch(struct session *s, int id, const char *verb, char *args)
{
	switch (id) {
	case C_HELO:
	case C_EHLO:
		cmd_helo(s, id == C_EHLO ? "EHLO" : "HELO", args, id == C_EHLO);
		break;
	case C_MAIL:
		cmd_mail(s, args);
		break;
	case C_RCPT:
		cmd_rcpt(s, args);
		break;
	case C_DATA:
		cmd_data(s);
		break;
	case C_RSET:
		transaction_end(s);
		session_id_done(s); /* sendmail's RSET drops the envelope's ID */
		session_reply(s, "250 2.0.0", "Reset state");
		break;
	case C_NOOP:
		session_reply(s, "250 2.0.0", "OK");
		break;
	case C_QUIT:
		session_reply(s, "221 2.0.0", "%s closing connection", s->hostname);
		s->quitting = true;
		break;
	case C_HELP:
		cmd_help(s, args);
		break;
	case C_VRFY:
	case C_EXPN:
		cmd_verify(s, verb, args);
		break;
	case C_VERB:
		if (!offer_verb(s)) {
			session_reply(s, "502 5.7.0", "Verbose unavailable");
		} else {
			s->verbose = true;
			session_reply(s, "250 2.0.0", "Verbose mode");
		}
		break;
	case C_ETRN:
		cmd_etrn(s, args);
		break;
	case C_AUTH:
		cmd_auth(s, args);
		break;
	case C_STARTTLS:
		cmd_starttls(s, args);
		break;
	default:
		/* the filters hear of it first; `verb` is the whole line here */
		if (session_milter_unknown(s, verb))
			bad_command(s, verb);
		break;
	}
}

/* After tls_client refused the client at STARTTLS, only these still work. */
static bool nullserver_allows(int id)
{
	return id == C_QUIT || id == C_HELO || id == C_EHLO || id == C_NOOP || id == C_RSET ||
	       id == C_HELP;
}

/*
 * A client that talks before the greeting (greet_pause) or pipelines
 * behind HELO/EHLO breaks the protocol: sendmail answers its commands
 * with errors until it quits.
 */
static void protocol_error_mode(struct session *s, int id)
{
	if (id == C_QUIT) {
		session_reply(s, "221 2.0.0", "%s closing connection", s->hostname);
		s->quitting = true;
	} else if (id == C_HELO || id == C_EHLO) {
		session_reply(s, "554 5.5.0", "SMTP protocol error");
	} else {
		session_reply(s, "550 5.0.0", "Command rejected");
	}
}

static int greet_pause_ms(struct session *s)
{
	int rs = cf_ruleset_find(s->cf, "greet_pause");
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {s->cf, &s->env, &pool, false, NULL};
	char *pvp[MAXATOM + 1];
	const char *name = macro_get(&s->env, macro_id(s->cf, "client_name", true));
	const char *addr = macro_get(&s->env, macro_id(s->cf, "client_addr", true));
	int ms = 0;

	if (rs < 0 || s->cf->rulesets[rs].rules == NULL)
		return 0;
	if (check_workspace(s->cf, &pool, name ? name : "", addr ? addr : "", pvp)) {
		rw_rewrite(&ctx, pvp, rs, 0);
		if (pvp[0] && (unsigned char)pvp[0][0] == META_CANONNET && pvp[1])
			ms = atoi(pvp[1]);
	}
	pool_release(&pool);
	return ms;
}

/*
 * srv_features: the cf's per-client switches ("$# DS": no DSN, no
 * STARTTLS, ...), looked up once when the client connects.
 */
static void server_features(struct session *s)
{
	int rs = cf_ruleset_find(s->cf, "srv_features");
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {s->cf, &s->env, &pool, false, NULL};
	char *pvp[MAXATOM + 1];
	const char *addr = macro_get(&s->env, macro_id(s->cf, "client_addr", true));
	size_t n = 0;

	s->features[0] = '\0';
	if (rs < 0 || s->cf->rulesets[rs].rules == NULL)
		return;
	if (check_workspace(s->cf, &pool, addr ? addr : "", NULL, pvp)) {
		rw_rewrite(&ctx, pvp, rs, 0);
		/* one letter per token: "D X E", as sendmail reads them */
		if (pvp[0] && (unsigned char)pvp[0][0] == META_CANONNET)
			for (int i = 1; pvp[i] && n + 1 < sizeof(s->features); i++)
				if (isalpha((unsigned char)pvp[i][0]))
					s->features[n++] = pvp[i][0];
	}
	s->features[n] = '\0';
	pool_release(&pool);
}

void session_queued(struct session *s, const char *qid)
{
	if (s->cfg->after == NULL) {
		if (s->cfg->queued != NULL)
			s->cfg->queued(s->cfg->queued_arg, s->cf, qid, NULL);
		return;
	}
	s->held = xgrow(s->held, &s->held_cap, s->nheld + 1, sizeof(*s->held));
	s->held[s->nheld++] = xstrdup(qid);
}

/* The session goes on: the held messages go to `queued`. */
static void release_held(struct session *s)
{
	for (size_t i = 0; i < s->nheld; i++) {
		if (s->cfg->queued != NULL)
			s->cfg->queued(s->cfg->queued_arg, s->cf, s->held[i], NULL);
		free(s->held[i]);
	}
	s->nheld = 0;
}

/* The session is over: what it still holds goes to `after`. */
static void hand_over_held(const struct smtp_server_config *c, struct cf *cf, char **held,
			   size_t n)
{
	if (n > 0)
		c->after(c->queued_arg, cf, held, n);
	for (size_t i = 0; i < n; i++)
		free(held[i]);
	free(held);
}

/* Did the client send anything within `ms`? */
static bool client_talked(struct session *s, int ms)
{
	struct pollfd p = {.fd = s->cfg->rfd, .events = POLLIN};
	return io_pending(&s->io) > 0 || poll(&p, 1, ms) > 0;
}

/*
 * check_relay on the connecting client (not for -bs): a refusal becomes
 * the greeting; a 421 also ends the session.
 */
static bool relay_allowed(struct session *s)
{
	const char *name = macro_get(&s->env, macro_id(s->cf, "client_name", true));
	const char *addr = macro_get(&s->env, macro_id(s->cf, "client_addr", true));
	bool ok;

	ok = session_check2(s, "check_relay", name ? name : "", addr ? addr : "", "550 5.7.1");
	if (!ok && strncmp(s->err_code, "421", 3) == 0)
		s->quitting = true;
	return ok;
}

/* The last command, lowercase, for "lost input channel ... after rcpt". */
static void remember_command(struct session *s, const char *verb)
{
	size_t i;
	for (i = 0; verb[i] && i + 1 < sizeof(s->last_command); i++)
		s->last_command[i] = (char)tolower((unsigned char)verb[i]);
	s->last_command[i] = '\0';
}

int smtp_server_session(struct cf *cf, const struct smtp_server_config *config)
{
	struct session s;
	bool broken = false;
	enum session_end end = SESSION_END_LOST;
	int pause;

	session_init(&s, cf, config);
	/* the C line counts network connections, not -bs sessions */
	if (!config->stdio && cf->opt.str[OPT_StatusFile] != NULL)
		(void)stats_add(cf->opt.str[OPT_StatusFile], STATS_CONN_FROM, 0, 0);
	if (config->implicit_tls && (config->tls == NULL || !start_tls(&s))) {
		session_free(&s);
		return EX_PROTOCOL; /* no TLS, no session on an M=s port */
	}
	server_features(&s);
	if (!config->stdio && !relay_allowed(&s)) {
		broken = true;
		goto greeted;
	}
	switch (session_milter_connect(&s)) {
	case MILTER_GREET_REJECT:
		session_reply(&s, "554", "%s ESMTP not accepting messages", s.hostname);
		goto greeted;
	case MILTER_GREET_SHUTDOWN:
		session_reply(&s, "421 4.7.0", "%s closing connection", s.hostname);
		s.quitting = true;
		goto greeted;
	case MILTER_GREET_NORMAL:
		break;
	}
	pause = greet_pause_ms(&s);
	if (pause > 0 && client_talked(&s, pause)) {
		session_reply(&s, "554", "%s ESMTP not accepting messages", s.hostname);
		broken = true;
	} else {
		greet(&s, "220");
	}
greeted:
	session_flush(&s, true);
	while (!s.quitting) {
		struct io_line l;
		char *verb, *args, sep;
		int rc, id;

		if (s.nheld > 0 && !client_talked(&s, SMTP_SERVER_HOLD_MS))
			release_held(&s);
		rc = io_read_line(&s.io, timeout_ms(&s, TO_command), &l);
		if (rc == -EMSGSIZE) {
			session_reply(&s, "500 5.5.0", "Command too long");
			session_flush(&s, false);
			continue;
		}
		if (rc < 0) {
			/* end of input, timeout or a broken connection */
			end = rc == -ETIMEDOUT ? SESSION_END_TIMEOUT : SESSION_END_LOST;
			break;
		}
		verb = l.s;
		while (*verb == ' ' || *verb == '\t')
			verb++;
		args = verb + strcspn(verb, " \t");
		sep = *args;
		if (*args)
			*args++ = '\0';
		id = lookup_command(verb);
		if (id == C_UNKNOWN && sep)
			args[-1] = sep; /* an unknown command is quoted whole */
		if (id != C_QUIT)
			release_held(&s);
		delay_first_command(&s, id);
		/* the wait comes before the check for pipelining behind EHLO */
		count_repeated_command(&s, id);
		if (broken) {
			protocol_error_mode(&s, id);
		} else if (s.nullserver != NULL && !nullserver_allows(id)) {
			session_reply_raw(&s, s.nullserver);
		} else if ((id == C_HELO || id == C_EHLO) && io_pending(&s.io) > 0) {
			/* pipelining behind HELO/EHLO is a protocol error */
			protocol_error_mode(&s, id);
			broken = true;
		} else {
			dispatch(&s, id, verb, args);
		}
		remember_command(&s, verb);
		if (session_flush(&s, false) < 0)
			break;
	}
	session_flush(&s, true);
	session_log_end(&s, s.quitting ? SESSION_END_QUIT : end);
	transaction_log_abandoned(&s);
	session_milter_end(&s);
	{
		int status = s.status;
		char **held = s.held;
		size_t nheld = s.nheld;

		s.held = NULL;
		session_free(&s);
		hand_over_held(config, cf, held, nheld);
		return status;
	}
}
