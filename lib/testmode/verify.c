/*
 * verify: address verification mode (verify.h).
 */
#include "testmode/verify.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "rules/parseaddr.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/xalloc.h"

struct recipient {
	struct address a;
	char *printed; /* the address as given */
	int order;     /* position in the send queue, for a stable sort */
	struct recipient *next;
};

struct verify {
	struct rw_ctx ctx;
	struct recipient *queue;
	int nqueued;
};

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
static bool find_user(struct cf *cf, const char *name)
{
	struct passwd *pw;
	char want[256];
	bool found = false;

	if (getpwnam(name) != NULL)
		return true;
	if (!cf->opt.num[OPT_MatchGECOS])
		return false;
	snprintf(want, sizeof(want), "%s", name);
	for (char *p = want; *p; p++)
		if (*p == '_' || *p == (char)cf->opt.num[OPT_BlankSub])
			*p = ' ';
	setpwent();
	while (!found && (pw = getpwent()) != NULL) {
		char full[256];
		snprintf(full, sizeof(full), "%s", pw->pw_gecos ? pw->pw_gecos : "");
		full[strcspn(full, ",")] = '\0';
		found = strcasecmp(full, want) == 0;
	}
	endpwent();
	return found;
}

static void enqueue(struct verify *v, struct recipient *r)
{
	struct recipient **pp = &v->queue;
	while (*pp)
		pp = &(*pp)->next;
	r->next = NULL;
	r->order = v->nqueued++;
	*pp = r;
}

static void recipient(struct verify *v, struct recipient *r, int aliaslevel);

/* sendmail's maplocaluser: ruleset 5 may send a local address elsewhere. */
static bool map_local_user(struct verify *v, struct recipient *r, int aliaslevel)
{
	struct cf *cf = v->ctx.cf;
	char *pvp[MAXATOM + 1];
	struct recipient *n;

	if (tok_scan(cf, r->a.user, '\0', TOK_ADDR, pvp, v->ctx.pool, NULL) < 0)
		return false;
	macro_define(v->ctx.env, 'h', r->a.host);
	macro_define(v->ctx.env, 'u', r->a.user);
	macro_define(v->ctx.env, macro_id(cf, "addr_type", true), "e r");
	rw_rewrite(&v->ctx, pvp, RS_LOCALADDR, 0);
	if (pvp[0] == NULL || (unsigned char)pvp[0][0] != META_CANONNET)
		return false;
	n = pool_alloc(v->ctx.pool, sizeof(*n));
	memset(n, 0, sizeof(*n));
	build_address_from(&v->ctx, r->printed, pvp, 0, &n->a);
	if (n->a.state == ADDR_BADADDR && n->a.mailer == NULL)
		return false;
	if (same_address(&r->a, &n->a))
		return false;
	n->printed = r->printed;
	r->a.state = ADDR_BADADDR; /* replaced */
	recipient(v, n, aliaslevel + 1);
	return true;
}

/* sendmail's recipient(): checks, duplicates, ruleset 5, the user database. */
static void recipient(struct verify *v, struct recipient *r, int aliaslevel)
{
	struct cf *cf = v->ctx.cf;
	const struct mailer *m = r->a.mailer;

	if (r->a.state == ADDR_BADADDR && m == NULL)
		return;
	if (aliaslevel > cf->opt.num[OPT_MaxAliasRecursion]) {
		char msg[128];
		snprintf(msg, sizeof(msg), "aliasing/forwarding loop broken (%d aliases deep; %lld max)",
			 aliaslevel, cf->opt.num[OPT_MaxAliasRecursion]);
		addr_usrerr(cf, NULL, msg);
		cf_set_status(cf, EX_USAGE);
		return;
	}
	if (r->a.is_prog || r->a.is_file) {
		addr_usrerr(cf, r->printed, r->a.is_prog ? "Cannot mail directly to programs"
							 : "Cannot mail directly to files");
		cf_set_status(cf, EX_USAGE);
		return;
	}
	for (struct recipient *q = v->queue; q; q = q->next)
		if (same_address(&q->a, &r->a))
			return;
	enqueue(v, r);
	if (m == NULL || r->a.is_include)
		return;
	if (r->a.state == ADDR_OK && !r->a.no_udb && cf->config_level >= 2 &&
	    cf->rulesets[RS_LOCALADDR].rules != NULL && mailer_has_flag(m, '5') &&
	    map_local_user(v, r, aliaslevel))
		return;
	if (r->a.state == ADDR_OK && mailer_has_flag(m, 'w') && !find_user(cf, r->a.user)) {
		cf_set_status(cf, EX_NOUSER);
		addr_usrerr(cf, r->printed, "User unknown");
		r->a.state = ADDR_BADADDR;
	}
}

/* sendmail's sendtolist: parse every address of one argument, then
 * hand them to recipient() last first. */
static void send_to_list(struct verify *v, const char *list)
{
	struct recipient *parsed = NULL;
	const char *p = list;

	while (*p != '\0') {
		const char *end;
		struct recipient *r;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		r = pool_alloc(v->ctx.pool, sizeof(*r));
		memset(r, 0, sizeof(*r));
		if (!parse_address(&v->ctx, p, 0, ',', &end, &r->a)) {
			if (*end == '\0')
				break;
			p = end + 1;
			continue;
		}
		r->printed = pool_strndup(v->ctx.pool, p, (size_t)(end - p));
		r->next = parsed;
		parsed = r;
		p = *end ? end + 1 : end;
	}
	while (parsed != NULL) {
		struct recipient *next = parsed->next;
		recipient(v, parsed, 0);
		parsed = next;
	}
}

/* sendmail lists the recipients sorted by host, else as queued. */
static int delivery_order(const void *x, const void *y)
{
	const struct recipient *a = *(const struct recipient *const *)x;
	const struct recipient *b = *(const struct recipient *const *)y;
	int c = strcasecmp(a->a.host ? a->a.host : "", b->a.host ? b->a.host : "");
	if (c != 0)
		return c;
	return a->order - b->order;
}

int verify_addresses(struct cf *cf, const char *sender, char **argv, int argc)
{
	struct pool pool = POOL_INIT;
	struct verify v = {{cf, &cf->macros, &pool, false}, NULL, 0};
	struct address from;
	struct recipient **sorted;
	int n = 0;

	if (argc == 0) {
		fputs("Recipient names must be specified\n", cf->out);
		return EX_USAGE;
	}
	if (getuid() != 0 || (cf->opt.str[OPT_RunAsUser] != NULL &&
			      strcmp(cf->opt.str[OPT_RunAsUser], "root") != 0 &&
			      strcmp(cf->opt.str[OPT_RunAsUser], "0") != 0))
		fputs("Notice: -bv may give misleading output for non-privileged user\n", cf->out);
	set_sender(&v.ctx, sender, &from);
	for (int i = 0; i < argc; i++)
		send_to_list(&v, argv[i]);

	sorted = pool_alloc(&pool, sizeof(*sorted) * (size_t)(v.nqueued + 1));
	for (struct recipient *r = v.queue; r; r = r->next)
		sorted[n++] = r;
	qsort(sorted, (size_t)n, sizeof(*sorted), delivery_order);
	for (int i = 0; i < n; i++) {
		struct recipient *r = sorted[i];
		if (r->a.state == ADDR_BADADDR)
			continue;
		if (r->a.host != NULL && r->a.host[0] != '\0')
			fprintf(cf->out, "%s... deliverable: mailer %s, host %s, user %s\n",
				r->printed, r->a.mailer_name, r->a.host, r->a.user);
		else
			fprintf(cf->out, "%s... deliverable: mailer %s, user %s\n", r->printed,
				r->a.mailer_name, r->a.user);
	}
	pool_release(&pool);
	return cf->exit_status;
}
