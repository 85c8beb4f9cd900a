/*
 * verify: address verification mode (verify.h).
 */
#include "testmode/verify.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "cf/mailer.h"
#include "rules/parseaddr.h"
#include "util/pool.h"
#include "util/xalloc.h"

struct recipient {
	struct address a;
	char *printed; /* the address as given */
	struct recipient *next;
};

static bool same_address(const struct address *x, const struct address *y)
{
	if (x->mailer != y->mailer)
		return false;
	if (strcmp(x->user ? x->user : "", y->user ? y->user : "") != 0)
		return false;
	if ((x->host == NULL) != (y->host == NULL))
		return false;
	return x->host == NULL || strcasecmp(x->host, y->host) == 0;
}

/* The local part sendmail looks up: the user without a +detail. */
static bool local_user_exists(const char *user)
{
	char name[256];
	const char *plus;
	snprintf(name, sizeof(name), "%s", user);
	plus = strchr(name, '+');
	if (plus != NULL && plus != name)
		name[plus - name] = '\0';
	return getpwnam(name) != NULL;
}

/* sendmail's recipient(): checks, then append unless a duplicate. */
static void recipient(struct cf *cf, struct recipient **queue, struct recipient *r)
{
	struct recipient **pp;

	if (r->a.state == ADDR_BADADDR && r->a.mailer == NULL)
		return;
	if (r->a.is_prog) {
		addr_usrerr(cf, r->printed, "Cannot mail directly to programs");
		cf_set_status(cf, EX_UNAVAILABLE);
		return;
	}
	if (r->a.is_file) {
		addr_usrerr(cf, r->printed, "Cannot mail directly to files");
		cf_set_status(cf, EX_UNAVAILABLE);
		return;
	}
	for (pp = queue; *pp; pp = &(*pp)->next)
		if (same_address(&(*pp)->a, &r->a))
			return;
	if (r->a.mailer != NULL && r->a.mailer == cf->local_mailer && !r->a.is_include &&
	    !local_user_exists(r->a.user)) {
		addr_usrerr(cf, r->printed, "User unknown");
		cf_set_status(cf, EX_NOUSER);
		/* stays queued as bad, so a repeat is a duplicate and silent */
		r->a.state = ADDR_BADADDR;
	}
	r->next = NULL;
	*pp = r;
}

/* sendmail's sendtolist: parse every address of one argument, then
 * hand them to recipient() last first. */
static void send_to_list(struct rw_ctx *ctx, const char *list, struct recipient **queue)
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
		r = pool_alloc(ctx->pool, sizeof(*r));
		memset(r, 0, sizeof(*r));
		if (!parse_address(ctx, p, 0, ',', &end, &r->a)) {
			if (*end == '\0')
				break;
			p = end + 1;
			continue;
		}
		r->printed = pool_strndup(ctx->pool, p, (size_t)(end - p));
		r->next = parsed;
		parsed = r;
		p = *end ? end + 1 : end;
	}
	while (parsed != NULL) {
		struct recipient *next = parsed->next;
		recipient(ctx->cf, queue, parsed);
		parsed = next;
	}
}

int verify_addresses(struct cf *cf, const char *sender, char **argv, int argc)
{
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {cf, &cf->macros, &pool, false};
	struct recipient *queue = NULL;
	struct address from;

	if (argc == 0) {
		fputs("Recipient names must be specified\n", cf->out);
		return EX_USAGE;
	}
	/* the sender is parsed first, as sendmail's setsender does */
	parse_address(&ctx, sender, RF_SENDERADDR, '\0', NULL, &from);
	for (int i = 0; i < argc; i++)
		send_to_list(&ctx, argv[i], &queue);
	for (struct recipient *r = queue; r; r = r->next) {
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
