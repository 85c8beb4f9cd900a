/*
 * recipient: building a message's recipient list the way sendmail's
 * sendtolist/recipient do — every address of a comma-separated list is
 * parsed (rulesets 3 and 0), then handed on last first; program and file
 * recipients that come from the command line are refused, duplicates are
 * dropped, ruleset 5 may send a local address to another mailer, local
 * users are looked up in the password database ("User unknown"), and the
 * local user an address came from is remembered as its controlling user.
 * Used by -bv and by message submission.
 */
#ifndef SDMAIL_RULES_RECIPIENT_H
#define SDMAIL_RULES_RECIPIENT_H

#include "rules/parseaddr.h"

struct recipient {
	struct address a;
	char *printed;        /* the address as given */
	char *ctl_user;       /* the address it replaced (ruleset 5), or NULL */
	int order;            /* position in the list */
	struct recipient *next;
};

struct rcpt_list {
	struct rw_ctx *ctx;   /* rulesets, pool (strings live there) */
	struct recipient *queue;
	int n;
	struct recipient *last_duplicate; /* the entry the last duplicate matched */
};

void rcpt_list_init(struct rcpt_list *l, struct rw_ctx *ctx);
/* sendmail's sendtolist for one argument or header value. */
void rcpt_send_to_list(struct rcpt_list *l, const char *list);
/* The good recipients sorted as sendmail lists deliveries (by host);
 * returns a pool-allocated NULL-terminated array. */
struct recipient **rcpt_sorted(struct rcpt_list *l);
/* Number of recipients that can be delivered to. */
int rcpt_count_good(const struct rcpt_list *l);

#endif
