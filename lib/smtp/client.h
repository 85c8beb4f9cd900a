/*
 * client: one SMTP client connection, as sendmail's smtp mailer and the
 * MSP relay use it: connect (or adopt descriptors), greeting, EHLO with
 * HELO fallback and the extension list, STARTTLS (then EHLO again), mail
 * transactions — MAIL and RCPT pipelined when the server allows, results
 * per recipient, DATA with the transparency encoding — RSET and QUIT.
 * Every wait uses the timeout the caller configured (sendmail's Timeout.*
 * options).  A transcript callback sees each command (as the caller
 * should print it after ">>> ") and each reply line verbatim, which is
 * what `sendmail -v` shows.
 *
 * Return values: a negative errno means the connection is unusable
 * (timeout, closed, malformed reply, TLS failure) and should be freed;
 * otherwise the reply code (e.g. 250, 421, 550), with the whole reply in
 * smtp_last_reply().  The library never prints.
 */
#ifndef SDMAIL_SMTP_CLIENT_H
#define SDMAIL_SMTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "smtp/ehlo.h"
#include "smtp/reply.h"
#include "tls/tls.h"

struct option_values;
struct smtp_client;

/* Longest reply line accepted (RFC 5321 says 512; servers send more). */
#define SMTP_REPLY_LINE_MAX 2048
/* Commands sent in one pipelined group before their replies are read. */
#define SMTP_PIPELINE_MAX 100

/* Timeouts in milliseconds; < 0 waits forever. */
struct smtp_timeouts {
	int connect, initial, helo, starttls, mail, rcpt, datainit, datablock, datafinal, rset,
	    quit;
};

/* Called for each line sent (from_client) or received; line has no CRLF. */
typedef void smtp_transcript_fn(void *arg, bool from_client, const char *line);

struct smtp_client_opts {
	const char *helo_name; /* the EHLO/HELO argument ($j); copied */
	struct smtp_timeouts timeouts;
	smtp_transcript_fn *transcript; /* NULL: none */
	void *transcript_arg;
};

enum smtp_body {
	SMTP_BODY_UNSPEC, /* no BODY= */
	SMTP_BODY_7BIT,
	SMTP_BODY_8BITMIME,
};

enum smtp_ret {
	SMTP_RET_UNSPEC, /* no RET= */
	SMTP_RET_FULL,
	SMTP_RET_HDRS,
};

/* NOTIFY= of RFC 3461; NEVER excludes the others. */
enum {
	SMTP_NOTIFY_SUCCESS = 1 << 0,
	SMTP_NOTIFY_FAILURE = 1 << 1,
	SMTP_NOTIFY_DELAY = 1 << 2,
	SMTP_NOTIFY_NEVER = 1 << 3,
};

/*
 * The envelope sender and MAIL parameters.  A parameter is only sent when
 * the server announced its extension (SIZE, 8BITMIME, SMTPUTF8, DSN,
 * AUTH); whether to send at all without it (8-bit data to a 7-bit server,
 * a message over the SIZE limit) is the caller's decision, made from
 * smtp_extensions() beforehand.  xtext values are sent as given (they are
 * stored encoded in the queue) and must be valid esmtp-values.
 */
struct smtp_rcpt;

struct smtp_mail {
	const char *from;	 /* the address without <>; "" for <> */
	unsigned long long size; /* SIZE=, 0: not sent */
	enum smtp_body body;
	const char *body_spelling; /* BODY='s value as the sender wrote it, or NULL */
	bool smtputf8;
	const char *envid; /* ENVID= (xtext) or NULL */
	enum smtp_ret ret;
	const char *auth; /* AUTH= (xtext or "<>") or NULL */
	/* With PIPELINING: send MAIL alone, then the RCPTs with DATA behind
	 * them, as sendmail does; smtp_data then only sends the message (or
	 * returns DATA's refusal).  When DATA was answered 354 the next call
	 * must be smtp_data (RSET and QUIT then just drop the connection).
	 * Without it MAIL and the RCPTs go together and DATA waits for
	 * smtp_data. */
	bool pipeline_data;
	/* Called as each RCPT's reply arrives (rcpts[index] filled in), so a
	 * caller can report it in sendmail's order; may be NULL. */
	void (*rcpt_reply)(void *arg, size_t index, const struct smtp_rcpt *r);
	void *rcpt_reply_arg;
};

/* One recipient: what to send, and what the server answered. */
struct smtp_rcpt {
	const char *addr;  /* without <> */
	unsigned notify;   /* SMTP_NOTIFY_* bits; 0: no NOTIFY= */
	const char *orcpt; /* ORCPT= ("rfc822;" xtext) or NULL */
	/* results */
	int code;	   /* reply code; 0: no reply (not sent) */
	char enhanced[12]; /* "5.1.1" or "" */
	char *text;	   /* reply text (owned), NULL when no reply */
};

/* sendmail's defaults (Timeout.initial 5m, helo 5m, mail 10m, rcpt 1h, ...). */
void smtp_timeouts_default(struct smtp_timeouts *t);
/* The Timeout.* values of a configuration (0 seconds: no limit). */
void smtp_timeouts_from_options(struct smtp_timeouts *t, const struct option_values *ov);

struct smtp_client *smtp_client_new(const struct smtp_client_opts *opts);
/* Sends nothing (see smtp_quit); closes the descriptors and frees. */
void smtp_client_free(struct smtp_client *c);

/* Connect to host (see smtp/net.h for the forms) and port: 0 or -errno. */
int smtp_connect(struct smtp_client *c, const char *host, unsigned port);
/* Talk over descriptors the caller opened (a socket: rfd == wfd; a pipe
 * pair to a mailer program).  The client owns and closes them. */
void smtp_attach(struct smtp_client *c, int rfd, int wfd);
/* The numeric address smtp_connect reached ("" otherwise): ${server_addr}. */
const char *smtp_peer_addr(const struct smtp_client *c);

/* Read the greeting (Timeout.initial).  220 on success. */
int smtp_greeting(struct smtp_client *c);

/*
 * EHLO; on a 5xx reply HELO (then no extensions).  Returns the code of the
 * last reply; 250 on success, with smtp_extensions() filled.
 */
int smtp_ehlo(struct smtp_client *c);

/* HELO alone (a mailer with F=2, or without F=a to a server whose
 * greeting does not say ESMTP): no extensions.  The reply's code. */
int smtp_helo(struct smtp_client *c);
bool smtp_is_esmtp(const struct smtp_client *c);
const struct smtp_ext *smtp_extensions(const struct smtp_client *c);

/*
 * STARTTLS with a client context, if the server announced it (else
 * -EOPNOTSUPP, nothing sent).  Nothing is pipelined with the command, and
 * a server that sends anything after its 220 before the handshake gets
 * -EPROTO (${verify} PROTOCOL): such bytes are an injection attempt.  On
 * success the old extension list is discarded and EHLO sent again; the
 * return value is then the code of that EHLO's reply.  A refusal returns
 * its code (4xx: ${verify} TEMP, otherwise PROTOCOL) and the session
 * continues in clear text; a failed handshake returns -EPROTO or
 * -ETIMEDOUT with ${verify} SOFTWARE.  `server_name` is for SNI.
 */
int smtp_starttls(struct smtp_client *c, struct tls_context *ctx, const char *server_name);
/*
 * smtp_starttls without the EHLO after the handshake: 220 once the session
 * is encrypted (the caller may still decide to QUIT), otherwise as there.
 */
int smtp_starttls_handshake(struct smtp_client *c, struct tls_context *ctx,
                            const char *server_name);
/* ${verify} and friends; verify is NONE until STARTTLS was tried. */
const struct tls_info *smtp_tls_info(const struct smtp_client *c);

/*
 * DANE after smtp_starttls: the server's certificate against TLSA records
 * found secure for `host` (tls/dane); ${verify} in smtp_tls_info becomes
 * DANE_PASS or DANE_FAIL.  0, or -ENOTCONN without TLS, or
 * tls_dane_verify's error.
 */
struct tlsa_set;
int smtp_tls_dane(struct smtp_client *c, const struct tlsa_set *set, const char *host);

/*
 * SMTP AUTH with the identities and secret of an authinfo entry (see
 * sasl/codec.h), if the server announced AUTH: libsasl2 picks the best
 * mechanism the server offers among ai->mechs (all when NULL), the
 * initial response goes on the AUTH line, each 334 challenge is answered
 * (a challenge that is not base64 or that the mechanism rejects gets
 * "*").  Returns the final reply code (235: authenticated),
 * -EOPNOTSUPP (nothing sent) when no mechanism fits, or a connection
 * error.  saslw_init() must have run.  The transcript shows the
 * exchange as sent, as sendmail -v does.
 */
struct authinfo;
int smtp_auth(struct smtp_client *c, const struct authinfo *ai, const char *server_name);
/* AuthOptions (sasl/saslw.h enum auth_option) for smtp_auth: a c d f m p
 * y restrict the mechanisms; p is lifted over TLS.  Default none. */
void smtp_auth_options(struct smtp_client *c, unsigned options);
/* The mechanism smtp_auth chose ("" before it chose one): ${auth_type}. */
const char *smtp_auth_mech(const struct smtp_client *c);

/*
 * MAIL and RCPT for every recipient.  With PIPELINING they are written
 * together (in groups of SMTP_PIPELINE_MAX) and the replies read in order;
 * without, one at a time and no RCPT follows a rejected MAIL.  Each
 * rcpts[i] gets its reply.  Returns the MAIL reply code, -EINVAL (before
 * sending anything) for an address or parameter that cannot be sent, or
 * a connection error.
 */
int smtp_mail_rcpt(struct smtp_client *c, const struct smtp_mail *m, struct smtp_rcpt *rcpts,
		   size_t nrcpts);
/* Free a recipient's results and reset them (the inputs stay). */
void smtp_rcpt_clear(struct smtp_rcpt *r);

/*
 * DATA, then the message: `headers` (hlen bytes, may be NULL; lines end
 * in LF or CRLF, no empty line at the end: one is added) and the body read
 * from `body` to its end (may be NULL).  Returns the DATA reply code when
 * it is not 354, else the code of the reply to the final ".".  A read
 * error on `body` returns -EIO without sending the final "." (the server
 * must not deliver a truncated message); the connection is then unusable.
 */
int smtp_data(struct smtp_client *c, const char *headers, size_t hlen, FILE *body);
/* Lines of the message longer than `limit` (the mailer's L=) are broken
 * as sendmail breaks them (see smtp/data.h); 0: sent as they are. */
void smtp_set_line_limit(struct smtp_client *c, size_t limit);
/* An empty line after the message's last line (the mailer's F=b). */
void smtp_set_blank_end(struct smtp_client *c, bool blank);

/* Did the last smtp_data get DATA answered 354 (the refusal, if any, is
 * then the final dot's)? */
bool smtp_data_message_sent(const struct smtp_client *c);

/* RSET: its reply code. */
int smtp_rset(struct smtp_client *c);
/* QUIT, its reply (Timeout.quit), and the TLS close_notify: the code. */
int smtp_quit(struct smtp_client *c);

/* The last complete reply read. */
const struct smtp_reply *smtp_last_reply(const struct smtp_client *c);

#endif
