/*
 * recipient: recipient lists (recipient.h).
 */
#include "rules/recipient.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "rules/token.h"
#include "util/pool.h"

static bool same_address(const struct address *x, const struct address *y)
{
	if (x->mailer != y->mailer || x->mailer == NULL)
		return false;
	if (strcmp(x->user ? x->user : "", y->user ? y->user : "") != 0)
		return false;
	if ((x->host == NULL) != (y->host == NULL))
		return false;
	return x->host == NULL || strcasecmp(x->host, y->host) == 0;
}

/* sendmail's finduser: the password entry, or a full-name match (MatchGECOS). */
static struct passwd *find_user(struct cf *cf, const char *name)
{
	struct passwd *pw = getpwnam(name);
	char want[256];

	if (pw != NULL || !cf->opt.num[OPT_MatchGECOS])
		return pw;
	snprintf(want, sizeof(want), "%s", name);
	for (char *p = want; *p; p++)
		if (*p == '_' || *p == (char)cf->opt.num[OPT_BlankSub])
			*p = ' ';
	setpwent();
	while ((pw = getpwent()) != NULL) {
		char full[256];
		snprintf(full, sizeof(full), "%s", pw->pw_gecos ? pw->pw_gecos : "");
		full[strcspn(full, ",")] = '\0';
		if (strcasecmp(full, want) == 0)
			break;
	}
	endpwent();
	return pw;
}

void rcpt_list_init(struct rcpt_list *l, struct rw_ctx *ctx)
{
	l->ctx = ctx;
	l->queue = NULL;
	l->n = 0;
	l->last_duplicate = NULL;
}

static void enqueue(struct rcpt_list *l, struct recipient *r)
{
	struct recipient **pp = &l->queue;
	while (*pp)
		pp = &(*pp)->next;
	r->next = NULL;
	r->order = l->n++;
	*pp = r;
}

static void recipient(struct rcpt_list *l, struct recipient *r, int aliaslevel);

/* sendmail's maplocaluser: ruleset 5 may send a local address elsewhere. */
static bool map_local_user(struct rcpt_list *l, struct recipient *r, int aliaslevel)
{
	struct cf *cf = l->ctx->cf;
	char *pvp[MAXATOM + 1];
	struct recipient *n;

	if (tok_scan(cf, r->a.user, '\0', TOK_ADDR, pvp, l->ctx->pool, NULL) < 0)
		return false;
	macro_define(l->ctx->env, 'h', r->a.host);
	macro_define(l->ctx->env, 'u', r->a.user);
	macro_define(l->ctx->env, macro_id(cf, "addr_type", true), "e r");
	rw_rewrite(l->ctx, pvp, RS_LOCALADDR, 0);
	if (pvp[0] == NULL || (unsigned char)pvp[0][0] != META_CANONNET)
		return false;
	n = pool_alloc(l->ctx->pool, sizeof(*n));
	memset(n, 0, sizeof(*n));
	build_address_from(l->ctx, r->printed, pvp, 0, &n->a);
	if (n->a.state == ADDR_BADADDR && n->a.mailer == NULL)
		return false;
	if (same_address(&r->a, &n->a))
		return false;
	n->printed = r->printed;
	/* the address ruleset 5 replaced controls the new one (qf C line) */
	n->ctl_user = r->ctl_user ? r->ctl_user : r->printed;
	r->a.state = ADDR_BADADDR; /* replaced */
	r->a.mailer = NULL;
	recipient(l, n, aliaslevel + 1);
	return true;
}

static void recipient(struct rcpt_list *l, struct recipient *r, int aliaslevel)
{
	struct cf *cf = l->ctx->cf;
	const struct mailer *m = r->a.mailer;

	if (r->a.state == ADDR_BADADDR && m == NULL)
		return;
	if (aliaslevel > cf->opt.num[OPT_MaxAliasRecursion]) {
		char msg[128];
		snprintf(msg, sizeof(msg), "aliasing/forwarding loop broken (%d aliases deep; %lld max)",
			 aliaslevel, cf->opt.num[OPT_MaxAliasRecursion]);
		addr_message(cf, "554 5.4.6", NULL, msg);
		cf_set_status(cf, EX_USAGE);
		return;
	}
	if (r->a.is_prog || r->a.is_file) {
		addr_message(cf, "550 5.7.1", r->printed, r->a.is_prog ? "Cannot mail directly to programs"
							 : "Cannot mail directly to files");
		cf_set_status(cf, EX_USAGE);
		return;
	}
	for (struct recipient *q = l->queue; q; q = q->next)
		if (same_address(&q->a, &r->a)) {
			l->last_duplicate = q;
			return;
		}
	enqueue(l, r);
	if (m == NULL || r->a.is_include)
		return;
	if (r->a.state == ADDR_OK && !r->a.no_udb && cf->config_level >= 2 &&
	    cf->rulesets[RS_LOCALADDR].rules != NULL && mailer_has_flag(m, '5') &&
	    map_local_user(l, r, aliaslevel))
		return;
	if (r->a.state == ADDR_OK && mailer_has_flag(m, 'w')) {
		struct passwd *pw = find_user(cf, r->a.user);
		if (pw == NULL) {
			cf_set_status(cf, EX_NOUSER);
			addr_message(cf, "550 5.1.1", r->printed, "User unknown");
			r->a.state = ADDR_BADADDR;
		}
	}
}

void rcpt_send_to_list(struct rcpt_list *l, const char *list)
{
	struct recipient *parsed = NULL;
	const char *p = list;

	while (*p != '\0') {
		const char *end;
		struct recipient *r;
		while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		r = pool_alloc(l->ctx->pool, sizeof(*r));
		memset(r, 0, sizeof(*r));
		if (!parse_address(l->ctx, p, 0, ',', &end, &r->a)) {
			if (*end == '\0')
				break;
			p = end + 1;
			continue;
		}
		r->printed = pool_strndup(l->ctx->pool, p, (size_t)(end - p));
		for (size_t n = strlen(r->printed); n > 0 && strchr(" \t\n", r->printed[n - 1]); n--)
			r->printed[n - 1] = '\0';
		r->next = parsed;
		parsed = r;
		p = *end ? end + 1 : end;
	}
	while (parsed != NULL) {
		struct recipient *next = parsed->next;
		recipient(l, parsed, 0);
		parsed = next;
	}
}

static int delivery_order(const void *x, const void *y)
{
	const struct recipient *a = *(const struct recipient *const *)x;
	const struct recipient *b = *(const struct recipient *const *)y;
	int c = strcasecmp(a->a.host ? a->a.host : "", b->a.host ? b->a.host : "");
	if (c != 0)
		return c;
	return a->order - b->order;
}

struct recipient **rcpt_sorted(struct rcpt_list *l)
{
	struct recipient **v = pool_alloc(l->ctx->pool, sizeof(*v) * (size_t)(l->n + 1));
	int n = 0;
	for (struct recipient *r = l->queue; r; r = r->next)
		if (r->a.state != ADDR_BADADDR)
			v[n++] = r;
	qsort(v, (size_t)n, sizeof(*v), delivery_order);
	v[n] = NULL;
	return v;
}

int rcpt_count_good(const struct rcpt_list *l)
{
	int n = 0;
	for (const struct recipient *r = l->queue; r; r = r->next)
		if (r->a.state != ADDR_BADADDR)
			n++;
	return n;
}
