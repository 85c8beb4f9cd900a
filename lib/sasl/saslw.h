/*
 * saslw: everything sdmail does with Cyrus SASL (libsasl2), for both ends
 * of SMTP AUTH.  libsasl2 is initialized once per process under
 * sendmail's application name "Sendmail", so the administrator's
 * /etc/sasl2/Sendmail.conf (or /usr/lib/sasl2/Sendmail.conf) applies as
 * it does to sendmail; tests may point it at another directory and add
 * options that win over the file.  libsasl2's log messages are kept in
 * the session (saslw_log()) instead of going to stderr.
 *
 * A server session announces AuthMechanisms ∩ what libsasl2 offers (in
 * AuthMechanisms' order, as sendmail 8.17 prints them), with AuthOptions
 * turned into security flags (a c d f m p y) and runs the exchange one
 * decoded response at a time.  Security layers are never negotiated:
 * max_ssf is 0 and no buffer size is offered, so DIGEST-MD5 and the like
 * authenticate only ("auth" qop) and ${auth_ssf} is 0 — sdmail relies on
 * STARTTLS for confidentiality (AuthMaxBits is therefore moot).
 *
 * A client session runs the exchange with the identities of an authinfo
 * entry (codec.h) over libsasl2's client plugins.
 */
#ifndef SDMAIL_SASL_SASLW_H
#define SDMAIL_SASL_SASLW_H

#include <stdbool.h>
#include <stddef.h>

#include "sasl/codec.h"
#include "util/strbuf.h"

/* AuthOptions letters */
enum auth_option {
	AUTHOPT_A = 1 << 0, /* client: AUTH= only after authenticating */
	AUTHOPT_a = 1 << 1, /* no mechanisms open to active attacks */
	AUTHOPT_c = 1 << 2, /* mechanisms that pass client credentials */
	AUTHOPT_d = 1 << 3, /* no mechanisms open to dictionary attacks */
	AUTHOPT_f = 1 << 4, /* forward secrecy required */
	AUTHOPT_m = 1 << 5, /* mutual authentication required */
	AUTHOPT_p = 1 << 6, /* no plaintext mechanisms without TLS */
	AUTHOPT_y = 1 << 7, /* no anonymous mechanisms */
};
/* The AuthOptions value ("A p y", "p,y") as flags; unknown letters are
 * ignored (readcf warns about them). */
unsigned auth_options_parse(const char *letters);

/* How libsasl2 is set up (saslw_init). */
struct saslw_conf {
	/* directory holding Sendmail.conf instead of libsasl2's built-in
	 * search path; NULL in production */
	const char *confdir;
	/* "option", "value", ..., NULL: win over Sendmail.conf */
	const char *const *options;
};
/* Once per process, before any session.  0, or -EIO with the reason
 * appended to `err`.  The conf must stay valid until saslw_done(). */
int saslw_init(const struct saslw_conf *conf, struct strbuf *err);
void saslw_done(void);

/* ---- server -------------------------------------------------------------- */

struct saslw_server_params {
	const char *fqdn;       /* $j */
	const char *realm;      /* AuthRealm, NULL: the fqdn */
	const char *local_addr; /* "a.b.c.d;port" or NULL */
	const char *remote_addr;
	unsigned options; /* enum auth_option */
	unsigned tls_ssf; /* the TLS cipher's bits, 0 without TLS */
};

struct saslw_server;
struct saslw_server *saslw_server_new(const struct saslw_server_params *p, struct strbuf *err);
void saslw_server_free(struct saslw_server *srv);

/* Into `out` (reset first): the mechanisms of `allowed` (AuthMechanisms)
 * libsasl2 offers in this session, in `allowed`'s order, separated by
 * spaces.  Empty when none. */
void saslw_server_mechs(struct saslw_server *srv, const char *allowed, struct strbuf *out);

enum saslw_result {
	SASLW_CONTINUE, /* send `challenge` as 334 and step again */
	SASLW_OK,       /* authenticated */
	SASLW_FAIL,     /* wrong credentials or a protocol error */
	SASLW_NOMECH,   /* the mechanism is not available */
};
/*
 * Start `mech` with the client's initial response (NULL: none given,
 * "" with len 0: the empty response "=").  On CONTINUE the decoded
 * challenge is in `challenge` (reset first).
 */
enum saslw_result saslw_server_start(struct saslw_server *srv, const char *mech, const char *resp,
                                     size_t len, struct strbuf *challenge);
enum saslw_result saslw_server_step(struct saslw_server *srv, const char *resp, size_t len,
                                    struct strbuf *challenge);
/* After SASLW_OK: the authentication identity (${auth_authen}), the
 * identity the client asked to act as (authzid; the authen when none),
 * the mechanism and the security layer's bits (always 0, see above). */
const char *saslw_server_authen(const struct saslw_server *srv);
const char *saslw_server_author(const struct saslw_server *srv);
const char *saslw_server_mech(const struct saslw_server *srv);
unsigned saslw_server_ssf(const struct saslw_server *srv);
/* libsasl2's messages of this session so far ("" when none). */
const char *saslw_server_log(const struct saslw_server *srv);

/* ---- client -------------------------------------------------------------- */

struct saslw_client;
/* A client for `server_fqdn` with the identities and secret of `ai`
 * (copied).  NULL with the reason in `err`. */
struct saslw_client *saslw_client_new(const char *server_fqdn, const struct authinfo *ai,
                                      struct strbuf *err);
void saslw_client_free(struct saslw_client *cl);
/* AuthOptions (enum auth_option) for this client, and the TLS cipher's
 * bits (0: no TLS), which lift AuthOptions p as in sendmail.  0 or -EIO. */
int saslw_client_secure(struct saslw_client *cl, unsigned options, unsigned tls_ssf);
/*
 * Choose a mechanism among `offered` (the server's AUTH keyword value),
 * restricted to `ai->mechs` when set, and compute the initial response:
 * `*mech` points at the chosen name, `*has_initial` tells whether an
 * initial response (in `out`, decoded) goes on the AUTH line.
 */
enum saslw_result saslw_client_start(struct saslw_client *cl, const char *offered,
                                     const char **mech, bool *has_initial, struct strbuf *out);
/* One decoded server challenge in, the decoded response in `out`. */
enum saslw_result saslw_client_step(struct saslw_client *cl, const char *challenge, size_t len,
                                    struct strbuf *out);
const char *saslw_client_log(const struct saslw_client *cl);

#endif
