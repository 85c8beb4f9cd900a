/*
 * recipient: building a message's recipient list the way sendmail's
 * sendtolist/recipient do — every address of a comma-separated list is
 * parsed (rulesets 3 and 0), then handed on last first; program and file
 * recipients that come from the command line are refused, duplicates are
 * dropped, ruleset 5 may send a local address to another mailer, local
 * users are looked up in the password database ("User unknown"), and the
 * local user an address came from is remembered as its controlling user.
 * Addresses of mailers with the A flag are looked up in the alias
 * databases (aliasdb.h): an alias is marked expanded ("aliased to" with
 * -v) and its value sent to as a list one alias level deeper, up to
 * MaxAliasRecursion; program and file recipients are accepted from an
 * alias's value only; an alias or .forward that names its own address is
 * delivered to as well.  :include: files of aliases and the users'
 * .forward files found through ForwardPath are read with include.h.  A
 * duplicate of an address that an expansion of the same list added is
 * reported "duplicate suppressed" with -v; an address of the list itself
 * is a duplicate only once it is fully processed.
 * A list made for verification only (an SMTP RCPT when the message is
 * not delivered at once) stops at the first step that vouches for an
 * address, as sendmail's EF_VRFYONLY: an alias that exists, or a local
 * user in the password database; nothing is expanded and no .forward is
 * read, so what an expansion names is found bad only at delivery.
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
	bool expanded;        /* an alias, replaced by its value */
	bool primary;         /* from the list itself, not an expansion */
	bool done;            /* fully processed (a primary is a duplicate only then) */
	bool selfref;         /* its expansion named it again: delivered too */
	bool forwarded;       /* a local user whose .forward was read: the
			       * controlling user of what it names */
	int generation;       /* the rcpt_send_to_list call that added it */
	struct recipient *alias_of; /* the alias whose value named it */
	/* an expanded alias LIST with an alias owner-LIST: the envelope
	 * sender of its members' deliveries (pool string), else NULL */
	const char *list_owner;
	/* why it is bad, as its error line said: "550 5.1.1", "User unknown"
	 * (pool or static strings); NULL when it was not refused */
	const char *err_code, *err_text;
	struct recipient *next;
};

struct rcpt_list {
	struct rw_ctx *ctx;   /* rulesets, pool (strings live there) */
	struct recipient *queue;
	int n;
	struct recipient *last_duplicate; /* the entry the last duplicate matched */
	int generation;       /* rcpt_send_to_list calls so far */
	bool verify_only;     /* vouch for addresses, expand nothing */
	bool one_envelope;    /* the lists are one message's (SMTP RCPTs): a
			       * duplicate of any earlier expansion is noted */
};

void rcpt_list_init(struct rcpt_list *l, struct rw_ctx *ctx);
/* sendmail's sendtolist for one argument or header value. */
void rcpt_send_to_list(struct rcpt_list *l, const char *list);
/*
 * The same for a queued recipient whose qf C line names the alias or
 * .forward that named it ("user:uid:gid:address", as sendmail writes the
 * expansion it could not finish): the address is treated as that
 * expansion's member (a program or file is allowed, it runs as the
 * controlling user).  Any other C line: rcpt_send_to_list.
 */
void rcpt_send_to_list_ctl(struct rcpt_list *l, const char *list, const char *ctladdr);

/* The parts of such a C line: user, ids, the alias's address. */
struct rcpt_ctl {
	const char *user; /* not NUL-terminated: user_len bytes */
	size_t user_len;
	unsigned long uid, gid;
	const char *address; /* the rest of the line, never empty */
};
/* Split "user:uid:gid:address"; false for any other C line. */
bool rcpt_ctl_parse(const char *ctladdr, struct rcpt_ctl *out);
/*
 * The nearest list r was expanded from that has an owner (its
 * list_owner), or NULL: sendmail delivers to such members in a clone of
 * the envelope with the owner as sender, and reports their failures to it.
 */
const struct recipient *rcpt_owning_list(const struct recipient *r);
/* Is r delivered to (not bad, not an expanded alias)? */
bool rcpt_is_good(const struct recipient *r);
/* The good recipients sorted as sendmail lists deliveries (by host);
 * returns a pool-allocated NULL-terminated array. */
struct recipient **rcpt_sorted(struct rcpt_list *l);
/* After the last list: when aliases were expanded into nothing that can
 * be delivered and no error was reported, sendmail's "aliasing/forwarding
 * loop broken" (EX_USAGE). */
void rcpt_check_empty(struct rcpt_list *l);
/* Number of recipients that can be delivered to. */
int rcpt_count_good(const struct rcpt_list *l);

#endif
