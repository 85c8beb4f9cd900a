/* clientauth: see clientauth.h */
#include "deliver/clientauth.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cf/cf.h"
#include "cf/meta.h"
#include "log/events.h"
#include "rules/rewrite.h"
#include "rules/token.h"
#include "sasl/codec.h"
#include "sasl/saslw.h"
#include "smtp/client.h"
#include "smtp/ehlo.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* sendmail's AuthMechanisms when the option is not set */
#define DEFAULT_CLIENT_MECHANISMS "GSSAPI KERBEROS_V4 DIGEST-MD5 CRAM-MD5"

int clientauth_lookup(struct rw_ctx *ctx, const char *host, struct authinfo *ai)
{
	struct cf *cf = ctx->cf;
	int rs = cf_ruleset_find(cf, "authinfo");
	char *pvp[MAXATOM + 1];
	struct strbuf entry = STRBUF_INIT;
	int n, found = 0;

	memset(ai, 0, sizeof(*ai));
	if (rs < 0 || cf->rulesets[rs].rules == NULL)
		return 0;
	n = tok_scan(cf, host, '\0', TOK_ADDR, pvp, ctx->pool, NULL);
	pvp[n < 0 ? 0 : n] = NULL;
	if (n < 0 || rw_rewrite(ctx, pvp, rs, 0) != 0)
		return 0;
	/* "$#" and the entry's quoted fields; "$@ no" when there is none */
	if (pvp[0] == NULL || (unsigned char)pvp[0][0] != META_CANONNET || pvp[1] == NULL)
		return 0;
	for (int i = 1; pvp[i] != NULL; i++) {
		if (entry.len)
			sb_putc(&entry, ' ');
		sb_puts(&entry, pvp[i]);
	}
	if (authinfo_parse(sb_str(&entry), ai) == 0)
		found = 1;
	else
		authinfo_free(ai);
	if (entry.s != NULL)
		explicit_bzero(entry.s, entry.len); /* holds the password */
	sb_free(&entry);
	return found;
}

/* The mechanisms the client may use: M:, else AuthMechanisms. */
static const char *allowed_mechs(const struct cf *cf, const struct authinfo *ai)
{
	const char *opt = cf->opt.str[OPT_AuthMechanisms];

	if (ai->mechs != NULL && *ai->mechs != '\0')
		return ai->mechs;
	return opt != NULL ? opt : DEFAULT_CLIENT_MECHANISMS;
}

/* The server's mechanisms that `allowed` names, for the log. */
static void usable_mechs(const char *offered, const char *allowed, struct strbuf *out)
{
	const char *p = offered;

	while (p != NULL && *p) {
		size_t w;
		char word[64];
		p += strspn(p, " ");
		w = strcspn(p, " ");
		if (w > 0 && w < sizeof(word)) {
			memcpy(word, p, w);
			word[w] = '\0';
			if (mech_in_list(allowed, word)) {
				if (out->len)
					sb_putc(out, ' ');
				sb_puts(out, word);
			}
		}
		p += w;
	}
}

static enum clientauth_result no_mechanism(const struct clientauth_params *p, struct smtp_client *c,
                                           const char *allowed)
{
	struct strbuf left = STRBUF_INIT;

	if (p->log != NULL) {
		usable_mechs(smtp_extensions(c)->auth_mechs, allowed, &left);
		log_auth_client_nomech(p->log, p->qid, sb_str(&left));
	}
	sb_free(&left);
	return CLIENTAUTH_TEMPFAIL;
}

static enum clientauth_result authenticate(const struct clientauth_params *p, struct smtp_client *c,
                                           struct authinfo *ai)
{
	struct strbuf err = STRBUF_INIT;
	const char *allowed = allowed_mechs(p->ctx->cf, ai);
	char *mechs = xstrdup(allowed);
	int rc;

	free(ai->mechs);
	ai->mechs = mechs;
	if (saslw_init(NULL, &err) < 0) {
		sb_free(&err);
		return CLIENTAUTH_TEMPFAIL;
	}
	sb_free(&err);
	smtp_auth_options(c, auth_options_parse(p->ctx->cf->opt.str[OPT_AuthOptions]));
	rc = smtp_auth(c, ai, p->host);
	if (rc == -EOPNOTSUPP)
		return no_mechanism(p, c, mechs);
	if (rc < 0)
		return CLIENTAUTH_LOST;
	if (rc == 235) {
		if (p->log != NULL)
			log_auth_client(p->log, p->host, smtp_auth_mech(c), 0);
		return CLIENTAUTH_OK;
	}
	/* refused credentials: sendmail goes on without AUTH, saying nothing */
	return rc / 100 == 4 ? CLIENTAUTH_TEMPFAIL : CLIENTAUTH_NONE;
}

enum clientauth_result clientauth_run(const struct clientauth_params *p, struct smtp_client *c)
{
	struct authinfo ai;
	enum clientauth_result r;

	if (!(smtp_extensions(c)->flags & EXT_AUTH))
		return CLIENTAUTH_NONE;
	if (clientauth_lookup(p->ctx, p->host, &ai) == 0) {
		/* sendmail logs the offer it had nothing for */
		if (p->log != NULL)
			log_auth_client(p->log, p->host, "", 0);
		return CLIENTAUTH_NONE;
	}
	r = authenticate(p, c, &ai);
	if (ai.secret != NULL)
		explicit_bzero(ai.secret, strlen(ai.secret));
	authinfo_free(&ai);
	if (r == CLIENTAUTH_TEMPFAIL && p->log != NULL)
		log_auth_client_temp(p->log, p->host);
	return r;
}
