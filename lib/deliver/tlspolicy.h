/*
 * tlspolicy: the cf's say on STARTTLS in the SMTP client, as sendmail
 * 8.17.1 asks it.  Before STARTTLS the try_tls ruleset gets
 * ${server_name}; an $#error answer (Debian's cf: "Try_TLS:" entry NO in
 * the access map) means the session goes on without STARTTLS though the
 * server offers it.  After STARTTLS, or where there was none (${verify}
 * NONE), the tls_server ruleset gets ${verify}; an $#error answer (the
 * cf's "TLS_Srv:" entries: VERIFY, ENCR:bits, ...) is the reply the
 * recipients get ("454 4.7.0 authentication failed"), and the connection
 * is given up.  Both log sendmail's "ruleset=..., arg1=..., relay=...,
 * reject=..." line.  ${server_name} and ${server_addr}, which the
 * rulesets look up, are the host connected to as the log names it and
 * its address.
 */
#ifndef SDMAIL_DELIVER_TLSPOLICY_H
#define SDMAIL_DELIVER_TLSPOLICY_H

#include <stdbool.h>

struct log_ctx;
struct rw_ctx;
struct strbuf;

struct tlspolicy_params {
	struct rw_ctx *ctx;  /* the envelope's rewriting context and macros */
	struct log_ctx *log; /* NULL: nothing logged */
	const char *addr;    /* ${server_addr}: "192.0.2.1", "IPv6:..." */
	const char *rcpts;   /* the recipients, which a 55x text names */
	/* ${server_name}: the host connected to without the trailing dot of
	 * an MX name ("mx.example", "[192.0.2.1]"), as sendmail's is */
	char host[1025];
};

/*
 * Set p->host from `host` (as the log names it: "mx.example.") and define
 * ${server_name} and ${server_addr} in p->ctx's macros.
 */
void tlspolicy_define_server(struct tlspolicy_params *p, const char *host);

/* The try_tls ruleset: false when STARTTLS is not to be tried. */
bool tlspolicy_try_tls(const struct tlspolicy_params *p);

/*
 * The tls_server ruleset with `verify`: 0 when the session is good enough,
 * else 4 or 5 (the reply's class) with the reply ("454 4.7.0 text") in
 * `reply` and its enhanced status code in dsn.
 */
int tlspolicy_tls_server(const struct tlspolicy_params *p, const char *verify, struct strbuf *reply,
                         char dsn[16]);

#endif
