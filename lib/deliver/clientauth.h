/*
 * clientauth: SMTP AUTH of the smtp mailers as sendmail's client does it.
 * The credentials come from the cf's `authinfo` ruleset (what
 * FEATURE(authinfo) writes: the authinfo map looked up with
 * "AuthInfo:${server_name}", then "AuthInfo:${server_addr}", then
 * "AuthInfo:"; the ruleset's "$#" answer is the entry, see sasl/codec.h).
 * The mechanisms tried are the entry's M: list, else AuthMechanisms
 * (else sendmail's default), within what the server offers.  The outcome
 * follows sendmail 8.17.1: no entry, or a server that refuses the
 * credentials, and delivery goes on unauthenticated; no usable mechanism,
 * or a 4xx answer, and the connection is given up with "Temporary AUTH
 * failure" (4.3.0).  The log lines ("AUTH=client, relay=..., mech=...,
 * bits=0" and the failures) are sendmail's.
 */
#ifndef SDMAIL_DELIVER_CLIENTAUTH_H
#define SDMAIL_DELIVER_CLIENTAUTH_H

#include <stdbool.h>

struct authinfo;
struct log_ctx;
struct rw_ctx;
struct smtp_client;

/*
 * The authinfo entry for the server `host`, which the ruleset looks up by
 * ${server_name} and ${server_addr} as the caller defined them for the
 * connection (tlspolicy_define_server: the name without an MX name's
 * trailing dot, as sendmail's): 1 with `ai` filled (free with
 * authinfo_free), 0 when the cf has no authinfo ruleset or it found
 * nothing usable.
 */
int clientauth_lookup(struct rw_ctx *ctx, const char *host, struct authinfo *ai);

enum clientauth_result {
	CLIENTAUTH_NONE,     /* not authenticated; the session goes on */
	CLIENTAUTH_OK,       /* authenticated */
	CLIENTAUTH_TEMPFAIL, /* give the connection up: "Temporary AUTH failure" */
	CLIENTAUTH_LOST,     /* the connection broke */
};

/* What the client needs besides the connection. */
struct clientauth_params {
	struct rw_ctx *ctx;  /* the cf, the macros ({server_name} etc. are set) */
	struct log_ctx *log; /* NULL: no log */
	const char *qid;     /* for the log lines that carry one */
	const char *host;    /* the server as the mailer names it (relay=) */
};

/* Authenticate on `c` (whose EHLO offered AUTH) as sendmail does. */
enum clientauth_result clientauth_run(const struct clientauth_params *p, struct smtp_client *c);

#endif
