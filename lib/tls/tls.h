/*
 * tls: sdmail's only contact with GnuTLS.  Owns the credentials built from
 * sendmail's options (a context per role: client or server), the sessions
 * on top of a connected socket (handshake with a deadline, record I/O that
 * never blocks and never raises SIGPIPE), and the facts about a finished
 * handshake that sendmail exposes as macros: ${verify}, ${tls_version},
 * ${cipher}, ${cipher_bits}, ${cert_subject}, ${cert_issuer}, ${cn_subject},
 * ${cn_issuer} — in sendmail's spelling (OpenSSL names and one-line DNs,
 * xtext-encoded where sendmail encodes them).  Errors are negative errno
 * values; the GnuTLS reason is kept for the caller to print.
 */
#ifndef SDMAIL_TLS_TLS_H
#define SDMAIL_TLS_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct option_values;
struct strbuf;

enum tls_role {
	TLS_ROLE_CLIENT,
	TLS_ROLE_SERVER,
};

/* ${verify}: what became of the peer's certificate (sendmail's words) */
enum tls_verify {
	TLS_VERIFY_NONE,     /* STARTTLS has not been performed */
	TLS_VERIFY_OK,	     /* the peer's certificate was verified */
	TLS_VERIFY_NO,	     /* the peer presented no certificate */
	TLS_VERIFY_NOT,	     /* no certificate was requested (server role) */
	TLS_VERIFY_FAIL,     /* a certificate was presented but could not be verified */
	TLS_VERIFY_CLEAR,    /* STARTTLS was skipped on purpose for this delivery */
	TLS_VERIFY_TEMP,     /* temporary error (e.g. a 4xx reply to STARTTLS) */
	TLS_VERIFY_PROTOCOL, /* SMTP-level protocol error around STARTTLS */
	TLS_VERIFY_SOFTWARE, /* the TLS handshake failed */
	/* DANE (tls/dane): usable TLSA records were found for the server */
	TLS_VERIFY_DANE_PASS,  /* and its certificate matched one of them */
	TLS_VERIFY_DANE_FAIL,  /* and its certificate matched none */
	TLS_VERIFY_DANE_NOTLS, /* but it did not offer STARTTLS */
	TLS_VERIFY_DANE_TEMP,  /* the TLSA lookup failed for the moment */
};

/* Where the credentials come from; strings are borrowed, NULL = unset. */
struct tls_config {
	const char *cert_file; /* ClientCertFile / ServerCertFile (PEM) */
	const char *key_file;  /* ClientKeyFile / ServerKeyFile (PEM) */
	const char *ca_file;   /* CACertFile: trusted CAs (PEM bundle) */
	const char *ca_path;   /* CACertPath: directory of trusted CA files */
	const char *crl_file;  /* CRLFile */
	const char *priority;  /* CipherList as a GnuTLS priority string; NULL: default */
	bool request_cert;     /* server role: ask the client for a certificate */
};

/* Facts about an established session (the macros' values). */
struct tls_info {
	enum tls_verify verify;
	char *verify_detail; /* why FAIL, in GnuTLS's words; NULL otherwise */
	char *version;	     /* ${tls_version}: "TLSv1.3" */
	char *cipher;	     /* ${cipher}: OpenSSL's name, else GnuTLS's */
	int cipher_bits;     /* ${cipher_bits}: symmetric key bits */
	char *cert_subject;  /* ${cert_subject}: "/C=US/O=Example/CN=mx", xtext */
	char *cert_issuer;   /* ${cert_issuer} */
	char *cn_subject;    /* ${cn_subject}: first CN of the subject, xtext */
	char *cn_issuer;     /* ${cn_issuer} */
};

struct tls_context;
struct tls_session;

/*
 * The configuration sendmail's options give for a role: ClientCertFile/
 * ClientKeyFile or ServerCertFile/ServerKeyFile, CACertFile, CACertPath,
 * CRLFile, CipherList.  Values are used as they are (no macro expansion);
 * the server role requests client certificates, as sendmail does.
 */
void tls_config_from_options(struct tls_config *cfg, const struct option_values *ov,
			     enum tls_role role);

/*
 * Build credentials and the priority cache.  On error returns -EINVAL
 * (bad configuration, e.g. a certificate without key or a bad priority
 * string), -ENOENT/-EACCES (unreadable file) or -EPROTO (GnuTLS refused a
 * file), and appends a one-line reason to `why` when given.
 */
int tls_context_new(struct tls_context **ret, enum tls_role role, const struct tls_config *cfg,
		    struct strbuf *why);
void tls_context_free(struct tls_context *ctx);

/*
 * A session on a connected socket (rfd == wfd for a socket; two fds are
 * accepted for symmetry with smtp/io).  `server_name` is sent as SNI by a
 * client when it is a DNS name; NULL or an address literal sends none.
 * The fds are only borrowed.  Returns 0 or -ENOMEM/-EINVAL.
 */
int tls_session_new(struct tls_session **ret, struct tls_context *ctx, int rfd, int wfd,
		    const char *server_name);
void tls_session_free(struct tls_session *s);

/*
 * Run the handshake, waiting at most timeout_ms in total (< 0: no limit).
 * 0 when done; -ETIMEDOUT, -ECONNRESET (peer closed) or -EPROTO (see
 * tls_session_error) otherwise.  The peer's certificate does not decide
 * success: the client records ${verify} and policy decides later, as in
 * sendmail.
 */
int tls_handshake(struct tls_session *s, int timeout_ms);

/*
 * Record I/O without blocking.  Return the byte count, 0 at end of stream
 * (recv only), -EAGAIN when the socket is not ready (tls_wants_write tells
 * which direction to poll), or -ECONNRESET / -EPROTO.
 */
ssize_t tls_recv(struct tls_session *s, void *buf, size_t n);
ssize_t tls_send(struct tls_session *s, const void *buf, size_t n);
bool tls_wants_write(const struct tls_session *s);
/* Decrypted bytes waiting inside the session (no need to poll for them). */
size_t tls_pending(const struct tls_session *s);

/* Send close_notify, waiting at most timeout_ms.  0 or a negative errno. */
int tls_bye(struct tls_session *s, int timeout_ms);

/* The last GnuTLS error of the session, as text ("" if none). */
const char *tls_session_error(const struct tls_session *s);

/* The peer's certificate chain as it was sent: *n gnutls_datum_t of DER,
 * NULL if none (void: GnuTLS's type stays out of this header). */
const void *tls_peer_chain(const struct tls_session *s, unsigned *n);

/* Fill *info from a session whose handshake completed. */
void tls_session_info(struct tls_session *s, struct tls_info *info);
void tls_info_init(struct tls_info *info); /* everything unset, verify NONE */
void tls_info_free(struct tls_info *info); /* and back to tls_info_init's state */

/* "OK", "FAIL", ... */
const char *tls_verify_name(enum tls_verify v);

/*
 * The value of one of the macros by name without braces ("verify",
 * "tls_version", "cipher", "cipher_bits", "cert_subject", "cert_issuer",
 * "cn_subject", "cn_issuer"); NULL when unset or unknown.  `scratch`
 * holds the text of numbers.
 */
const char *tls_info_macro(const struct tls_info *info, const char *name, struct strbuf *scratch);

/* sendmail's xtext encoding of certificate text: +XX for controls, space,
 * non-ASCII and the characters < > ( ) " +. */
void tls_xtextify(struct strbuf *out, const char *s, size_t n);

#endif
