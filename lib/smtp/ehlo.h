/*
 * ehlo: the service extensions a server announces in its EHLO reply
 * (RFC 5321 4.1.1.1), reduced to what sdmail acts on: PIPELINING, SIZE
 * with its limit, 8BITMIME, DSN, STARTTLS, AUTH with its mechanisms,
 * ENHANCEDSTATUSCODES, DELIVERBY with its minimum, SMTPUTF8.  Keywords
 * are case-insensitive; lines that are not well-formed keywords are
 * ignored rather than failing the session, and so are parameters that
 * do not parse (the keyword itself still counts).
 */
#ifndef SDMAIL_SMTP_EHLO_H
#define SDMAIL_SMTP_EHLO_H

#include <stdbool.h>

struct smtp_reply;

enum smtp_ext_flag {
	EXT_PIPELINING = 1u << 0,
	EXT_SIZE = 1u << 1,
	EXT_8BITMIME = 1u << 2,
	EXT_DSN = 1u << 3,
	EXT_STARTTLS = 1u << 4,
	EXT_AUTH = 1u << 5,
	EXT_ENHANCEDSTATUSCODES = 1u << 6,
	EXT_DELIVERBY = 1u << 7,
	EXT_SMTPUTF8 = 1u << 8,
};

struct smtp_ext {
	unsigned flags;		     /* EXT_* */
	unsigned long long size_max; /* SIZE n; 0: no fixed limit announced */
	long long deliverby_min;     /* DELIVERBY n (seconds); 0: none given */
	char *auth_mechs;	     /* "PLAIN LOGIN": upper case, one space apart; NULL: none */
};

void ehlo_init(struct smtp_ext *ext);
void ehlo_free(struct smtp_ext *ext); /* and back to ehlo_init's state */

/*
 * Replace *ext with what a complete EHLO reply announces (its first line,
 * the greeting, is skipped).  -EINVAL when the reply is not a complete
 * 2xx reply; *ext is then empty.
 */
int ehlo_parse(struct smtp_ext *ext, const struct smtp_reply *r);

/* Was SASL mechanism `mech` (any case) announced? */
bool ehlo_has_auth(const struct smtp_ext *ext, const char *mech);

/* "PIPELINING", ... for one EXT_* bit; NULL for anything else. */
const char *ehlo_flag_name(unsigned flag);

#endif
