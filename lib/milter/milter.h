/*
 * milter: the MTA side of sendmail's mail filter protocol for one SMTP
 * session.  The session object holds a connection to every filter that
 * InputMailFilters lists (X lines, in that order), negotiated at protocol
 * version 6; the server calls one function per SMTP stage with that
 * stage's data, and the filters are asked in order, with the macros
 * Milter.macros.<stage> (or the filter's own list) looked up through the
 * caller's callback.  Each call returns an explicit verdict and, when a
 * filter gave one, its reply text; `milter_smtp_reply` turns that into
 * the reply sendmail sends at that stage.  The data phase is one call
 * (`milter_eom`): like sendmail, each filter gets the headers, the body
 * and the end of message in turn, and sees what the filters before it
 * changed.  The changes come back as a list (`struct milter_mods`) that
 * `milter_apply` (modify.h) applies to the envelope and the df file.
 * A filter that cannot be reached, times out, closes or talks nonsense
 * never blocks a stage past its T= timeout: it goes to error state and
 * its F= flag decides (reject, tempfail, 421, or carry on without it),
 * for that stage and, as in sendmail, every later one.  What
 * sendmail would log (its "Milter ..." and "milter=..." lines, already
 * filtered by Milter.LogLevel) goes to the caller's log callback.
 */
#ifndef SDMAIL_MILTER_MILTER_H
#define SDMAIL_MILTER_MILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct cf;
struct envelope;
struct milter_mods;
struct milter_session;
struct strbuf;

enum milter_stage {
	MILTER_STAGE_CONNECT,
	MILTER_STAGE_HELO,
	MILTER_STAGE_MAIL,
	MILTER_STAGE_RCPT,
	MILTER_STAGE_DATA,    /* the DATA command, before the 354 */
	MILTER_STAGE_UNKNOWN, /* a command the server does not know */
	MILTER_STAGE_EOM,     /* the message: headers, body, end of message */
};

enum milter_verdict {
	MILTER_CONTINUE = 0, /* no filter objected: go on */
	MILTER_ACCEPT,       /* reserved: a filter's accept only ends its own part
	                      * (for the message, or the connection at CONNECT
	                      * and HELO); the stage then returns CONTINUE */
	MILTER_REJECT,       /* 5xx (a filter's reply, or F=R) */
	MILTER_TEMPFAIL,     /* 4xx (a filter's reply, or F=T) */
	MILTER_DISCARD,      /* accept the message and throw it away */
	MILTER_SHUTDOWN,     /* 421 and close the connection */
};

struct milter_result {
	enum milter_verdict verdict;
	/* the filter's own SMTP reply ("550 5.7.1 text", lines separated by
	 * CRLF) from SMFIR_REPLYCODE; NULL for the stage's default */
	char *reply;
	const char *filter; /* the deciding filter, NULL for none */
};

struct milter_config {
	/* The value of a macro by its name as the option spells it ("j",
	 * "{daemon_name}"), or NULL when it is not defined. */
	const char *(*macro)(void *arg, const char *name);
	void *macro_arg;
	/* One log line as sendmail writes it after "QUEUEID: " (syslog
	 * priority LOG_INFO, LOG_NOTICE, LOG_WARNING or LOG_ERR). */
	void (*log)(void *arg, int priority, const char *text);
	void *log_arg;
	/* where a replaced body waits until it is applied (the queue
	 * directory; NULL for /tmp) */
	const char *tmpdir;
	/* the filters to use instead of InputMailFilters: the listener's
	 * own (DaemonPortOptions InputMailFilters=, names separated by
	 * semicolons there); NULL for the option */
	const char *filters;
};

/*
 * A session with the filters of cf's InputMailFilters (or cfg->filters),
 * in that order.  Nothing is
 * connected yet.  Returns NULL when no filter is configured (then every
 * stage is simply MILTER_CONTINUE and the caller can skip milter work).
 */
struct milter_session *milter_session_new(struct cf *cf, const struct milter_config *cfg);
/* Quit the filters (SMFIC_QUIT) and free everything. */
void milter_session_free(struct milter_session *s);

/*
 * The stages.  Each returns result->verdict; result->reply must be
 * released with milter_result_clear.  A NULL session continues.
 *
 * connect: opens and negotiates with every filter first; `hostname` is
 *   the client's name ($_'s host part, "localhost" for -bs), `addr` its
 *   address (NULL: unknown, as for -bs).
 * envfrom/envrcpt: argv[0] is the address as given ("<a@b>"), then the
 *   ESMTP parameters ("SIZE=100"), NULL-terminated.
 * unknown: the whole command line.
 */
enum milter_verdict milter_connect(struct milter_session *s, const char *hostname,
                                   const struct sockaddr *addr, socklen_t addrlen,
                                   struct milter_result *result);
enum milter_verdict milter_helo(struct milter_session *s, const char *helo,
                                struct milter_result *result);
enum milter_verdict milter_envfrom(struct milter_session *s, char *const *argv,
                                   struct milter_result *result);
enum milter_verdict milter_envrcpt(struct milter_session *s, char *const *argv,
                                   struct milter_result *result);
enum milter_verdict milter_data(struct milter_session *s, struct milter_result *result);
enum milter_verdict milter_unknown(struct milter_session *s, const char *line,
                                   struct milter_result *result);

/*
 * The data phase of a collected message: for each filter in turn its
 * headers (those of the message: the first `own_skip` headers of e are
 * sendmail's own, like its Received:, and are not sent), end of headers,
 * the body of the df (read from offset 0, sent with CRLF line ends in
 * chunks of 65535 bytes) and end of message; the modifications each
 * filter asks for are collected in `mods` (initialised here) and are
 * what the next filter sees.  The envelope and df are not changed: the
 * caller applies mods (milter_apply) when the verdict lets the message
 * through.
 */
enum milter_verdict milter_eom(struct milter_session *s, const struct envelope *e, size_t own_skip,
                               int df_fd, struct milter_mods *mods, struct milter_result *result);

/* The transaction ended before or without end of message (RSET, a new
 * MAIL, a rejected DATA): the filters forget the message (SMFIC_ABORT). */
void milter_abort(struct milter_session *s);

/* Filters still usable (for "Milter: no active filter"-like decisions). */
bool milter_active(const struct milter_session *s);

void milter_result_clear(struct milter_result *result);

/*
 * The reply sendmail 8.17 gives when a filter decides `result` at
 * `stage` (a verdict other than CONTINUE and ACCEPT), as CRLF-separated
 * lines without the final CRLF: the filter's own reply when it gave one,
 * else "550 5.7.1 Command rejected" ("554 5.7.1 ..." at end of message,
 * "550 5.0.0 ..." after a rejected connection), "451 4.3.2 Please try
 * again later" (never with the address), as sendmail 8.17.1 answers (nothing for DISCARD: the
 * server goes on as usual and drops the message; "421 4.7.0 $j closing connection" for SHUTDOWN, $j
 * through the session's macro callback).  `addr` is the MAIL or RCPT address, which sendmail puts
 * in front of its default texts and after the codes of a filter's own
 * reply ("553-5.1.3 <a@b>... text").  What sendmail 8.17.1 does with
 * CONNECT and HELO verdicts (observed, for the server): a REJECT at
 * CONNECT makes the greeting "554 $j ESMTP not accepting messages" and
 * every MAIL/RCPT/DATA "550 5.0.0 Command rejected" (HELO still gets
 * 250); a TEMPFAIL at CONNECT keeps the greeting and answers MAIL with
 * "451 4.3.2 Please try again later"; a REJECT at HELO answers every
 * later MAIL/RCPT/DATA with the filter's reply.
 */
void milter_smtp_reply(const struct milter_session *s, const struct milter_result *result,
                       enum milter_stage stage, const char *addr, struct strbuf *out);

/* A macro callback over a session's macro environment (struct
 * macro_env over cf's), for callers that keep sendmail's macros there. */
struct macro_env;
struct milter_env_macros {
	struct cf *cf;
	const struct macro_env *env;
	struct strbuf *scratch; /* holds the last expansion */
};
const char *milter_env_macro(void *arg, const char *name);

/* The verdict's name as the driver and logs print it ("reject"). */
const char *milter_verdict_name(enum milter_verdict v);

#endif
