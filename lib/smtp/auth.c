/* auth: SMTP AUTH in the server session (see auth.h). */
#include "smtp/auth.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/daemonopts.h"
#include "cf/macro.h"
#include "cf/meta.h"
#include "cf/options.h"
#include "rules/rewrite.h"
#include "rules/token.h"
#include "sasl/saslw.h"
#include "smtp/session.h"
#include "smtp/session_log.h"
#include "util/xalloc.h"

/* sendmail's default AuthMechanisms */
#define DEFAULT_AUTH_MECHANISMS "EXTERNAL GSSAPI KERBEROS_V4 DIGEST-MD5 CRAM-MD5"
/* failed attempts answered at once; then 1, 2, 4... seconds up to 240,
 * as sendmail 8.17 paces them (measured with the oracle) */
#define AUTH_FREE_FAILURES 4
#define AUTH_MAX_DELAY 240

struct smtp_auth {
	struct saslw_server *srv;
	bool tls;         /* TLS was active when srv was made */
	bool unavailable; /* libsasl2 could not be set up */
	int failures;
	struct strbuf mechs; /* what EHLO announces */
};

static struct smtp_auth *state(struct session *s)
{
	if (s->auth == NULL) {
		s->auth = xcalloc(1, sizeof(*s->auth));
		sb_init(&s->auth->mechs);
	}
	return s->auth;
}

static void define(struct session *s, const char *name, const char *value)
{
	macro_define(&s->env, macro_id(s->cf, name, true), value);
}

static const char *macro(struct session *s, const char *name)
{
	return macro_get(&s->env, macro_id(s->cf, name, true));
}

static unsigned tls_bits(struct session *s)
{
	const char *bits = s->tls_active ? macro(s, "cipher_bits") : NULL;
	return bits ? (unsigned)strtoul(bits, NULL, 10) : 0;
}

/* "a.b.c.d;port" for libsasl2, NULL when unknown (-bs). */
static char *remote_addr(struct session *s)
{
	const char *addr = macro(s, "client_addr"), *port = macro(s, "client_port");
	struct strbuf sb = STRBUF_INIT;

	if (s->cfg->stdio || addr == NULL || port == NULL || strcmp(addr, "0") == 0)
		return NULL;
	if (strncmp(addr, "IPv6:", 5) == 0)
		addr += 5;
	sb_printf(&sb, "%s;%s", addr, port);
	return sb_detach(&sb);
}

/*
 * The SASL session and the mechanisms it offers; remade after STARTTLS
 * (plaintext mechanisms may become available under AuthOptions p).
 * NULL when AUTH is not offered at all.
 */
static struct smtp_auth *offer(struct session *s)
{
	struct smtp_auth *a = state(s);
	const char *allowed = s->cf->opt.str[OPT_AuthMechanisms];
	struct strbuf err = STRBUF_INIT;

	if ((s->cfg->port != NULL && daemon_has_modifier(s->cfg->port, 'A')) ||
	    session_feature(s, 'A'))
		return NULL;
	if (a->srv != NULL && a->tls != s->tls_active && !s->authenticated) {
		saslw_server_free(a->srv);
		a->srv = NULL;
	}
	if (a->srv == NULL && !a->unavailable) {
		char *remote = remote_addr(s);
		struct saslw_server_params p = {
		    .fqdn = s->hostname,
		    .realm = s->cf->opt.str[OPT_AuthRealm],
		    .remote_addr = remote,
		    .options = auth_options_parse(s->cf->opt.str[OPT_AuthOptions]),
		    .tls_ssf = tls_bits(s),
		};
		if (saslw_init(NULL, &err) == 0)
			a->srv = saslw_server_new(&p, &err);
		a->unavailable = a->srv == NULL;
		a->tls = s->tls_active;
		free(remote);
		if (a->srv != NULL)
			saslw_server_mechs(a->srv, allowed ? allowed : DEFAULT_AUTH_MECHANISMS,
			                   &a->mechs);
	}
	sb_free(&err);
	return a->srv != NULL && a->mechs.len > 0 ? a : NULL;
}

void auth_ehlo_keyword(struct session *s, struct strbuf *out)
{
	struct smtp_auth *a = offer(s);
	if (a != NULL)
		sb_printf(out, "AUTH %s\n", sb_str(&a->mechs));
}

/* ---- the AUTH command ---------------------------------------------------- */

static void pace_failures(struct smtp_auth *a)
{
	if (a->failures >= AUTH_FREE_FAILURES) {
		int shift = a->failures - AUTH_FREE_FAILURES;
		unsigned delay = shift >= 8 ? AUTH_MAX_DELAY : 1u << shift;
		sleep(delay > AUTH_MAX_DELAY ? AUTH_MAX_DELAY : delay);
	}
}

static void authenticated(struct session *s, struct smtp_auth *a)
{
	struct strbuf sb = STRBUF_INIT;
	char bits[16];

	s->authenticated = true;
	session_define_protocol(s);
	define(s, "auth_type", saslw_server_mech(a->srv));
	xtext_encode(saslw_server_authen(a->srv), "<>\")", &sb);
	define(s, "auth_authen", sb_str(&sb));
	sb_reset(&sb);
	xtext_encode(saslw_server_author(a->srv), "<>\")", &sb);
	define(s, "auth_author", sb_str(&sb));
	snprintf(bits, sizeof(bits), "%u", saslw_server_ssf(a->srv));
	define(s, "auth_ssf", bits);
	sb_free(&sb);
	session_reply(s, "235 2.0.0", "OK Authenticated");
	session_log_auth(s, true, saslw_server_mech(a->srv), saslw_server_authen(a->srv), NULL,
			 (int)saslw_server_ssf(a->srv));
}

/* Read the client's answer to a 334; false (reply sent) to stop. */
static bool read_response(struct session *s, struct strbuf *resp)
{
	struct io_line l;
	long long sec = s->cf->opt.timeout[TO_auth];

	if (session_flush(s, true) < 0 ||
	    io_read_line(&s->io, sec > 0 ? (int)(sec * 1000) : -1, &l) < 0) {
		s->quitting = true;
		return false;
	}
	if (strcmp(l.s, "*") == 0) {
		session_reply(s, "501 5.0.0", "AUTH aborted");
		return false;
	}
	if (b64_decode(l.s, l.len, resp) < 0) {
		session_reply(s, "501 5.5.4", "cannot decode AUTH parameter %s", l.s);
		return false;
	}
	return true;
}

/*
 * "AUTH failure (PLAIN): authentication failure (-13) SASL(-13):
 * authentication failure: <libsasl2's last message>, user=..., relay=...",
 * the line fail2ban's sendmail-auth filter looks for.
 */
static void log_failure(struct session *s, struct smtp_auth *a, const char *mech)
{
	const char *all = saslw_server_log(a->srv), *last = all, *nl;
	const char *user = saslw_server_authen(a->srv);
	char detail[512];
	size_t n;

	while ((nl = strchr(last, '\n')) != NULL && nl[1] != '\0')
		last = nl + 1;
	n = strcspn(last, "\n");
	snprintf(detail, sizeof(detail), "SASL(-13): authentication failure: %.*s", (int)n,
		 n ? last : "checkpass failed");
	session_log_auth(s, false, mech, user ? user : "", detail, 0);
}

static void run_exchange(struct session *s, struct smtp_auth *a, const char *mech_arg,
                         const struct strbuf *initial, bool has_initial)
{
	struct strbuf challenge = STRBUF_INIT, resp = STRBUF_INIT, enc = STRBUF_INIT;
	enum saslw_result r;
	char mech_name[64]; /* mech_arg lives in the line buffer the exchange reuses */
	const char *mech = mech_name;

	snprintf(mech_name, sizeof(mech_name), "%s", mech_arg);
	r = saslw_server_start(a->srv, mech, has_initial ? sb_str(initial) : NULL,
	                       has_initial ? initial->len : 0, &challenge);
	while (r == SASLW_CONTINUE) {
		sb_reset(&enc);
		b64_encode((const unsigned char *)sb_str(&challenge), challenge.len, &enc);
		session_reply(s, "334", "%s", sb_str(&enc));
		if (!read_response(s, &resp))
			goto out;
		r = saslw_server_step(a->srv, sb_str(&resp), resp.len, &challenge);
	}
	if (r == SASLW_OK) {
		authenticated(s, a);
	} else if (r == SASLW_NOMECH) {
		session_reply(s, "504 5.3.3", "AUTH mechanism %s not available", mech);
	} else {
		a->failures++;
		session_reply(s, "535 5.7.0", "authentication failed");
		log_failure(s, a, mech_name);
	}
out:
	sb_free(&challenge);
	sb_free(&resp);
	sb_free(&enc);
}

void cmd_auth(struct session *s, char *args)
{
	struct smtp_auth *a = offer(s);
	struct strbuf initial = STRBUF_INIT;
	char *mech, *rest;

	if (a == NULL) {
		session_reply(s, "503 5.3.3", "AUTH not available");
		return;
	}
	if (s->authenticated) {
		session_reply(s, "503 5.5.0", "Already Authenticated");
		return;
	}
	if (s->have_mail) {
		session_reply(s, "503 5.5.0", "AUTH not permitted during a mail transaction");
		return;
	}
	mech = args + strspn(args, " \t");
	rest = mech + strcspn(mech, " \t");
	if (*rest)
		*rest++ = '\0';
	rest += strspn(rest, " \t");
	if (*mech == '\0') {
		session_reply(s, "501 5.5.2", "AUTH mechanism must be specified");
		return;
	}
	if (!mech_in_list(sb_str(&a->mechs), mech)) {
		session_reply(s, "504 5.3.3", "AUTH mechanism %s not available", mech);
		return;
	}
	if (*rest && b64_decode(rest, strlen(rest), &initial) < 0) {
		session_reply(s, "501 5.5.4", "cannot BASE64 decode '%s'", rest);
		sb_free(&initial);
		return;
	}
	pace_failures(a);
	for (char *p = mech; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	run_exchange(s, a, mech, &initial, *rest != '\0');
	sb_free(&initial);
}

/* ---- MAIL ---------------------------------------------------------------- */

/* Does trust_auth accept the authenticated client acting as `who`? */
static bool trust_auth(struct session *s, const char *who)
{
	struct cf *cf = s->cf;
	int rs = cf_ruleset_find(cf, "trust_auth");
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {cf, &s->env, &pool, false, NULL};
	char *pvp[MAXATOM + 1];
	int n;
	bool ok = true;

	if (rs < 0 || cf->rulesets[rs].rules == NULL)
		return true;
	n = tok_scan(cf, who, '\0', TOK_ADDR, pvp, &pool, NULL);
	pvp[n < 0 ? 0 : n] = NULL;
	rw_rewrite(&ctx, pvp, rs, 0);
	if (pvp[0] != NULL && (unsigned char)pvp[0][0] == META_CANONNET && pvp[1] != NULL &&
	    strcasecmp(pvp[1], "error") == 0)
		ok = false;
	pool_release(&pool);
	return ok;
}

bool auth_mail_param(struct session *s, const char *value)
{
	struct strbuf decoded = STRBUF_INIT;
	const char *v = value ? value : "";

	if (xtext_decode(v, &decoded) < 0) {
		session_reply(s, "501 5.5.4", "Syntax error in AUTH parameter value");
		sb_free(&decoded);
		return false;
	}
	if (*v == '\0' || strcmp(v, "<>") == 0) {
		envelope_set(&s->e.auth, v);
	} else if (s->authenticated) {
		define(s, "auth_author", v);
		envelope_set(&s->e.auth, trust_auth(s, sb_str(&decoded)) ? v : "<>");
	} else {
		envelope_set(&s->e.auth, "<>");
	}
	sb_free(&decoded);
	return true;
}

void auth_session_free(struct session *s)
{
	if (s->auth == NULL)
		return;
	saslw_server_free(s->auth->srv);
	sb_free(&s->auth->mechs);
	free(s->auth);
	s->auth = NULL;
}
