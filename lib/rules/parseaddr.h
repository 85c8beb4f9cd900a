/*
 * parseaddr: turning an address into a delivery triple — sendmail's
 * parseaddr/buildaddr.  The address is tokenized (comments dropped),
 * rewritten through rulesets 3 and 0, the $# mailer $@ host $: user
 * result is checked (no mailer, unknown mailer, missing host for a
 * non-local mailer, $#error with its DSN/exit code and message), the
 * user part is rewritten through ruleset 2 (or 1 for senders), the
 * mailer's R= (or S=) ruleset and ruleset 4, and prog, file and
 * :include: users are recognised per the local mailer's flags.
 * Also remotename(): rewriting an address for a given mailer (/try).
 */
#ifndef SDMAIL_RULES_PARSEADDR_H
#define SDMAIL_RULES_PARSEADDR_H

#include <stdbool.h>

#include "rules/rewrite.h"

struct mailer;

enum {
	RF_SENDERADDR = 1 << 0,
	RF_HEADERADDR = 1 << 1,
	/* the name of an alias (newaliases): no "Transient parse error" note */
	RF_ALIASNAME = 1 << 2,
	RF_CANONICAL = 1 << 3, /* the bare address, no crackaddr template */
};

enum addr_state {
	ADDR_OK = 0,
	ADDR_BADADDR,
	ADDR_QUEUEUP,
};

struct address {
	const struct mailer *mailer; /* NULL: the *error* mailer */
	const char *mailer_name;
	char *host;                  /* NULL when the mailer has none */
	char *user;
	enum addr_state state;
	const char *dsn;             /* "5.1.3" and such */
	int exit_status;
	bool is_prog, is_file, is_include;
	bool no_udb; /* user was written "@user": no aliasing or ruleset 5 again */
};

/*
 * Parse `addr` (up to `delim`) into `a` with strings from ctx->pool.
 * Prints sendmail's messages ("addr... text") and returns false when the
 * address could not be tokenized at all.  *endp is set past the address.
 */
bool parse_address(struct rw_ctx *ctx, const char *addr, int flags, int delim,
		   const char **endp, struct address *a);

/*
 * buildaddr on an already rewritten workspace ($# mailer $@ host $: user):
 * used when ruleset 5 sends a local address elsewhere.
 */
void build_address_from(struct rw_ctx *ctx, const char *addr, char **pvp, int flags,
			struct address *a);

/* sendmail's setsender: parse the sender and compute $g (rulesets 3, 1, 4). */
void set_sender(struct rw_ctx *ctx, const char *from, struct address *a);

/*
 * Rewrite `addr` into the form mailer `m` would present it (/try):
 * ruleset 3, then 1 or 2, then the mailer's S= or R= ruleset, then 4.
 * Returns the ruleset status; *result gets the joined address.
 */
int remote_name(struct rw_ctx *ctx, const char *addr, const struct mailer *m, int flags,
		char **result);

/* Print "addr... text" the way sendmail's usrerr does. */
void addr_usrerr(struct cf *cf, const char *addr, const char *text);
/*
 * "addr... text" on cf->out, or to the SMTP session's sink with `code`
 * ("550 5.1.1") as its reply; a NULL code is a note (05x in verbose SMTP).
 */
void addr_message(struct cf *cf, const char *code, const char *addr, const char *text);

#endif
