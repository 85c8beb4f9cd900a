/* tlspolicy: see tlspolicy.h */
#include "deliver/tlspolicy.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/meta.h"
#include "log/events.h"
#include "rules/parseaddr.h"
#include "rules/rewrite.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/strbuf.h"

void tlspolicy_define_server(struct tlspolicy_params *p, const char *host)
{
	struct cf *cf = p->ctx->cf;
	size_t n;

	snprintf(p->host, sizeof(p->host), "%s", host != NULL ? host : "");
	n = strlen(p->host);
	if (n > 1 && p->host[n - 1] == '.')
		p->host[n - 1] = '\0';

	macro_define_text(cf, p->ctx->env, macro_id(cf, "server_name", true), p->host);
	macro_define_text(cf, p->ctx->env, macro_id(cf, "server_addr", true), p->addr);
}

/* The first message the $#error answer makes: "code text". */
static void catch_reply(void *arg, const char *code, const char *text)
{
	struct strbuf *sb = arg;

	if (sb->len == 0 && code != NULL)
		sb_printf(sb, "%s %s", code, text);
}

/*
 * Run `ruleset` on `input`: 0 when it passes (no ruleset, or no $#error
 * answer), else the sysexits status of the answer with its reply in
 * `reply`, which sendmail's error mailer makes of it (lib/rules).
 */
static int run_ruleset(const struct tlspolicy_params *p, const char *ruleset, const char *input,
                       struct strbuf *reply)
{
	struct cf *cf = p->ctx->cf;
	int rs = cf_ruleset_find(cf, ruleset);
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = *p->ctx;
	struct cf_msg_sink sink = {catch_reply, reply}, *saved = cf->sink;
	char *pvp[MAXATOM + 1];
	struct address a = {0};
	int n;

	if (rs < 0 || cf->rulesets[rs].rules == NULL)
		return 0;
	ctx.pool = &pool;
	n = tok_scan(cf, input, '\0', TOK_ADDR, pvp, &pool, NULL);
	pvp[n < 0 ? 0 : n] = NULL;
	rw_rewrite(&ctx, pvp, rs, 0);
	if (pvp[0] != NULL && (unsigned char)pvp[0][0] == META_CANONNET && pvp[1] != NULL &&
	    strcasecmp(pvp[1], "error") == 0) {
		cf->sink = &sink;
		build_address_from(&ctx, p->rcpts, pvp, 0, &a);
		cf->sink = saved;
		if (a.exit_status == 0)
			a.exit_status = 1;
	}
	pool_release(&pool);
	return a.exit_status;
}

/* The refusal's line from LogLevel `threshold` on. */
static void log_refusal(const struct tlspolicy_params *p, int threshold, const char *ruleset,
                        const char *arg1, const char *reply)
{
	struct log_peer peer = {.text = p->host};

	if (p->log != NULL)
		log_reject_at(p->log, threshold, NULL, ruleset, arg1, NULL, &peer, reply);
}

bool tlspolicy_try_tls(const struct tlspolicy_params *p)
{
	struct strbuf reply = STRBUF_INIT;
	bool try = run_ruleset(p, "try_tls", p->host, &reply) == 0;

	if (!try)
		log_refusal(p, 8, "try_tls", p->host, sb_str(&reply)); /* LogLevel > 7 */
	sb_free(&reply);
	return try;
}

/* "454 4.7.0 text": the enhanced code; sendmail's 4.7.0 when there is none. */
static void reply_dsn(const char *reply, char dsn[16])
{
	size_t n = strspn(reply + 4, "0123456789.");

	if (strlen(reply) > 4 && n > 0 && n < 16 && reply[4 + n] == ' ')
		snprintf(dsn, 16, "%.*s", (int)n, reply + 4);
	else
		snprintf(dsn, 16, "%c.7.0", reply[0] == '5' ? '5' : '4');
}

int tlspolicy_tls_server(const struct tlspolicy_params *p, const char *verify, struct strbuf *reply,
                         char dsn[16])
{
	struct cf *cf = p->ctx->cf;
	int status = cf->exit_status;

	if (run_ruleset(p, "tls_server", verify, reply) == 0)
		return 0;
	/* as sendmail's: a 5xx refusal's status is the command's exit status
	 * (5.7.0: EX_DATAERR), a 4xx one leaves it be */
	if (reply->len > 0 && reply->s[0] != '5')
		cf->exit_status = status;
	if (reply->len < 4 || (reply->s[0] != '4' && reply->s[0] != '5')) {
		sb_reset(reply);
		sb_puts(reply, "403 4.7.0 server not authenticated.");
	}
	reply_dsn(sb_str(reply), dsn);
	log_refusal(p, 6, "tls_server", verify, sb_str(reply)); /* LogLevel > 5 */
	return reply->s[0] - '0';
}
