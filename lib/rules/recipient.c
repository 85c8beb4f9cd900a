/*
 * recipient: recipient lists (recipient.h).
 */
#include "rules/recipient.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "aliases/aliasdb.h"
#include "aliases/include.h"
#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/strbuf.h"

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
	l->generation = 0;
	l->verify_only = false;
	l->one_envelope = false;
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
static int send_to_list(struct rcpt_list *l, const char *list, struct recipient *alias_of,
			int aliaslevel);

struct include_state {
	struct rcpt_list *l;
	struct recipient *r;
	int aliaslevel;
	const char *verb; /* "sending to" or "forwarding to" */
};

static int include_line(void *arg, const char *line)
{
	struct include_state *st = arg;
	struct cf *cf = st->l->ctx->cf;
	if (cf->show_messages) {
		struct strbuf sb = STRBUF_INIT;
		sb_printf(&sb, "%s %s", st->verb, line);
		addr_message(cf, "050", NULL, sb_str(&sb));
		sb_free(&sb);
	}
	return send_to_list(st->l, line, st->r, st->aliaslevel + 1);
}

/* sendmail's include() for an :include: recipient of an alias. */
static void include_list(struct rcpt_list *l, struct recipient *r, int aliaslevel)
{
	struct cf *cf = l->ctx->cf;
	struct include_state st = {l, r, aliaslevel, "sending to"};
	struct strbuf sb = STRBUF_INIT;
	const char *why;
	FILE *f;

	if (cf->show_messages) {
		sb_printf(&sb, "including file %s", r->a.user);
		addr_message(cf, "050", r->printed, sb_str(&sb));
	}
	f = include_open(cf, r->a.user, INCLUDE_LIST, 0, &why);
	if (f == NULL) {
		sb_reset(&sb);
		sb_printf(&sb, "Cannot open %s: %s", r->a.user, why);
		addr_message(cf, "550 5.2.4", r->printed, sb_str(&sb));
		cf_set_status(cf, EX_USAGE);
		r->a.state = ADDR_BADADDR;
		r->err_code = "550 5.2.4";
		r->err_text = pool_strdup(l->ctx->pool, sb_str(&sb));
		sb_free(&sb);
		return;
	}
	sb_free(&sb);
	r->expanded = true;
	(void)include_read(cf, f, r->a.user, include_line, &st);
}

/* sendmail's forward(): the first .forward file of ForwardPath that opens. */
static void forward_user(struct rcpt_list *l, struct recipient *r, const struct passwd *pw,
			 int aliaslevel)
{
	struct cf *cf = l->ctx->cf;
	struct include_state st = {l, r, aliaslevel, "forwarding to"};
	const char *path = cf->opt.str[OPT_ForwardPath];
	struct strbuf spec = STRBUF_INIT, file = STRBUF_INIT;

	if (path == NULL || pw->pw_dir == NULL || pw->pw_dir[0] == '\0')
		return;
	macro_define(l->ctx->env, 'z', pw->pw_dir);
	macro_define(l->ctx->env, 'u', r->a.user);
	while (*path != '\0') {
		size_t n = strcspn(path, ":");
		const char *why;
		FILE *f;

		sb_reset(&spec);
		sb_printf(&spec, "%.*s", (int)n, path);
		path += n + (path[n] == ':');
		sb_reset(&file);
		macro_expand(cf, l->ctx->env, sb_str(&spec), &file);
		if (sb_str(&file)[0] == '\0')
			continue;
		f = include_open(cf, sb_str(&file), INCLUDE_FORWARD, pw->pw_uid, &why);
		if (f == NULL) {
			if (errno == ENOENT)
				continue;
			/* an unsafe or unreadable .forward: delivered as if absent */
			break;
		}
		r->forwarded = true;
		if (include_read(cf, f, pool_strdup(l->ctx->pool, sb_str(&file)), include_line,
				 &st) > 0 && !r->selfref)
			r->expanded = true;
		break;
	}
	sb_free(&spec);
	sb_free(&file);
}

/* owner-LIST: its value when that is one address, else its own name */
static const char *find_list_owner(struct rcpt_list *l, const struct recipient *r)
{
	struct pool *pool = l->ctx->pool;
	size_t n = strlen(r->a.user) + sizeof("owner-");
	char *name = pool_alloc(pool, n);
	const char *to = r->printed;
	int status = 0;
	char *value;
	size_t len;

	snprintf(name, n, "owner-%s", r->a.user);
	value = alias_lookup(l->ctx->cf, name, &to, pool, &status);
	if (value == NULL)
		return NULL;
	value += strspn(value, " \t");
	len = strlen(value);
	while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	if (len == 0 || memchr(value, ',', len) != NULL)
		return name;
	return pool_strndup(pool, value, len);
}

const struct recipient *rcpt_owning_list(const struct recipient *r)
{
	for (const struct recipient *p = r->alias_of; p != NULL; p = p->alias_of)
		if (p->list_owner != NULL)
			return p;
	return NULL;
}

/* sendmail's alias(): replace r by the value of its alias, if it has one. */
static bool expand_alias(struct rcpt_list *l, struct recipient *r, int aliaslevel)
{
	struct cf *cf = l->ctx->cf;
	const char *to = r->printed;
	int status = 0;
	char *value = alias_lookup(cf, r->a.user, &to, l->ctx->pool, &status);

	if (value == NULL) {
		if (status == EX_TEMPFAIL) {
			addr_message(cf, "451 4.3.0", r->printed, "Alias database unavailable");
			r->a.state = ADDR_QUEUEUP;
		}
		return false;
	}
	if (l->verify_only)
		return true; /* the alias exists: that is all a verification asks */
	if (cf->show_messages) {
		struct strbuf sb = STRBUF_INIT;
		sb_printf(&sb, "aliased to %s", value);
		addr_message(cf, "050", r->printed, sb_str(&sb));
		sb_free(&sb);
	}
	r->expanded = true;
	r->list_owner = find_list_owner(l, r);
	send_to_list(l, value, r, aliaslevel + 1);
	/* an alias that names itself is also delivered to */
	if (r->selfref)
		r->expanded = false;
	return r->expanded;
}

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

static void recipient_body(struct rcpt_list *l, struct recipient *r, int aliaslevel);

static void recipient(struct rcpt_list *l, struct recipient *r, int aliaslevel)
{
	recipient_body(l, r, aliaslevel);
	r->done = true;
}

static void recipient_body(struct rcpt_list *l, struct recipient *r, int aliaslevel)
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
	if ((r->a.is_prog || r->a.is_file || r->a.is_include) && r->alias_of == NULL) {
		addr_message(cf, "550 5.7.1", r->printed,
			     r->a.is_prog   ? "Cannot mail directly to programs"
			     : r->a.is_file ? "Cannot mail directly to files"
					    : "Cannot mail directly to :include:s");
		cf_set_status(cf, EX_USAGE);
		return;
	}
	for (struct recipient *q = l->queue; q; q = q->next)
		/* an address of the list itself still being expanded is no
		 * duplicate: its alias may name it again (self reference) */
		if ((!q->primary || q->done) && same_address(&q->a, &r->a)) {
			if (!q->primary && (q->generation == l->generation || l->one_envelope) &&
			    cf->show_messages)
				addr_message(cf, "050", r->printed, "duplicate suppressed");
			l->last_duplicate = q;
			return;
		}
	enqueue(l, r);
	if (m == NULL)
		return;
	if (r->a.is_include) {
		include_list(l, r, aliaslevel);
		return;
	}
	if (r->a.state == ADDR_OK && !r->a.no_udb && r->a.user[0] != '\\' &&
	    mailer_has_flag(m, 'A') &&
	    expand_alias(l, r, aliaslevel))
		return;
	if (r->a.state == ADDR_OK && !r->a.no_udb && cf->config_level >= 2 &&
	    cf->rulesets[RS_LOCALADDR].rules != NULL && mailer_has_flag(m, '5') &&
	    map_local_user(l, r, aliaslevel))
		return;
	if (r->a.state == ADDR_OK && mailer_has_flag(m, 'w')) {
		bool quoted = r->a.user[0] == '\\';
		struct passwd *pw = find_user(cf, r->a.user + quoted);
		if (pw == NULL) {
			cf_set_status(cf, EX_NOUSER);
			addr_message(cf, "550 5.1.1", r->printed, "User unknown");
			r->a.state = ADDR_BADADDR;
			r->err_code = "550 5.1.1";
			r->err_text = "User unknown";
		} else if (!quoted && !r->a.no_udb && !l->verify_only) {
			forward_user(l, r, pw, aliaslevel);
		}
	}
}

static int send_to_list(struct rcpt_list *l, const char *list, struct recipient *alias_of,
			int aliaslevel)
{
	int count = 0;
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
		r->primary = alias_of == NULL;
		r->generation = l->generation;
		r->alias_of = alias_of;
		if (alias_of != NULL && r->ctl_user == NULL)
			r->ctl_user = alias_of->ctl_user;
		if (alias_of != NULL && same_address(&alias_of->a, &r->a))
			alias_of->selfref = true;
		r->next = parsed;
		parsed = r;
		count++;
		p = *end ? end + 1 : end;
	}
	while (parsed != NULL) {
		struct recipient *next = parsed->next;
		recipient(l, parsed, aliaslevel);
		parsed = next;
	}
	return count;
}

void rcpt_send_to_list(struct rcpt_list *l, const char *list)
{
	l->generation++;
	(void)send_to_list(l, list, NULL, 0);
}

static bool ctl_number(const char *s, const char *end, unsigned long *out)
{
	unsigned long v = 0;

	if (s == end || end - s > 9)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return true;
}

bool rcpt_ctl_parse(const char *ctladdr, struct rcpt_ctl *out)
{
	const char *c1, *c2, *c3;

	if (ctladdr == NULL || (c1 = strchr(ctladdr, ':')) == NULL || c1 == ctladdr ||
	    (c2 = strchr(c1 + 1, ':')) == NULL || (c3 = strchr(c2 + 1, ':')) == NULL ||
	    c3[1] == '\0')
		return false;
	if (!ctl_number(c1 + 1, c2, &out->uid) || !ctl_number(c2 + 1, c3, &out->gid))
		return false;
	out->user = ctladdr;
	out->user_len = (size_t)(c1 - ctladdr);
	out->address = c3 + 1;
	return true;
}

/* The alias a C line "user:uid:gid:address" names, or NULL. */
static struct recipient *ctl_parent(struct rcpt_list *l, const char *ctladdr)
{
	struct rcpt_ctl c;
	struct recipient *p;
	struct passwd *pw;

	if (!rcpt_ctl_parse(ctladdr, &c))
		return NULL;
	p = pool_alloc(l->ctx->pool, sizeof(*p));
	memset(p, 0, sizeof(*p));
	p->printed = pool_strdup(l->ctx->pool, c.address);
	p->a.user = pool_strndup(l->ctx->pool, c.user, c.user_len);
	p->a.state = ADDR_OK;
	p->expanded = true;
	p->done = true;
	/* a user's own ids: the .forward of that user named it */
	pw = getpwnam(p->a.user);
	p->forwarded = pw != NULL && pw->pw_uid != 0 && (unsigned long)pw->pw_uid == c.uid;
	return p;
}

void rcpt_send_to_list_ctl(struct rcpt_list *l, const char *list, const char *ctladdr)
{
	struct recipient *parent = ctl_parent(l, ctladdr);

	l->generation++;
	(void)send_to_list(l, list, parent, parent != NULL);
}

bool rcpt_is_good(const struct recipient *r)
{
	return r->a.state != ADDR_BADADDR && !r->expanded;
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
		if (rcpt_is_good(r))
			v[n++] = r;
	qsort(v, (size_t)n, sizeof(*v), delivery_order);
	v[n] = NULL;
	return v;
}

void rcpt_check_empty(struct rcpt_list *l)
{
	struct cf *cf = l->ctx->cf;
	bool expanded = false;

	for (const struct recipient *r = l->queue; r; r = r->next)
		expanded |= r->expanded;
	if (expanded && rcpt_count_good(l) == 0 && cf->exit_status == 0) {
		addr_message(cf, "554 5.4.6", NULL, "aliasing/forwarding loop broken");
		cf_set_status(cf, EX_USAGE);
	}
}

int rcpt_count_good(const struct rcpt_list *l)
{
	int n = 0;
	for (const struct recipient *r = l->queue; r; r = r->next)
		if (rcpt_is_good(r))
			n++;
	return n;
}
