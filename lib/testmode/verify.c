/*
 * verify: address verification mode (verify.h).
 */
#include "testmode/verify.h"

#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/cf.h"
#include "rules/parseaddr.h"
#include "rules/recipient.h"
#include "util/pool.h"

int verify_addresses(struct cf *cf, const char *sender, char **argv, int argc)
{
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {cf, &cf->macros, &pool, false, NULL};
	struct rcpt_list list;
	struct address from;

	if (argc == 0) {
		fputs("Recipient names must be specified\n", cf->out);
		return EX_USAGE;
	}
	if (getuid() != 0 || (cf->opt.str[OPT_RunAsUser] != NULL &&
			      strcmp(cf->opt.str[OPT_RunAsUser], "root") != 0 &&
			      strcmp(cf->opt.str[OPT_RunAsUser], "0") != 0))
		fputs("Notice: -bv may give misleading output for non-privileged user\n", cf->out);
	set_sender(&ctx, sender, &from);
	rcpt_list_init(&list, &ctx);
	for (int i = 0; i < argc; i++)
		rcpt_send_to_list(&list, argv[i]);
	rcpt_check_empty(&list);
	for (struct recipient **r = rcpt_sorted(&list); *r; r++) {
		const struct address *a = &(*r)->a;
		if (a->host != NULL && a->host[0] != '\0')
			fprintf(cf->out, "%s... deliverable: mailer %s, host %s, user %s\n",
				(*r)->printed, a->mailer_name, a->host, a->user);
		else
			fprintf(cf->out, "%s... deliverable: mailer %s, user %s\n", (*r)->printed,
				a->mailer_name, a->user);
	}
	pool_release(&pool);
	return cf->exit_status;
}
