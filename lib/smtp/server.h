/*
 * server: one ESMTP server session as sendmail 8.17 runs it — for a
 * network client accepted by the daemon, or for `sendmail -bs` on
 * standard input and output.  The session greets (SmtpGreetingMessage,
 * with "ESMTP" after its first word), answers HELO/EHLO with the keyword
 * list the configuration, the port's modifiers and the TLS state call
 * for, and runs the commands with sendmail's replies and enhanced status
 * codes: MAIL and RCPT with their ESMTP parameters and the policy
 * rulesets (check_mail, check_rcpt, check_compat...), DATA into a new
 * queue entry that is durable before "250 ... Message accepted for
 * delivery", RSET, NOOP, QUIT, HELP from the help file, VRFY, EXPN,
 * VERB, ETRN, STARTTLS, and PrivacyOptions.  What happens to a message
 * once it is queued is the caller's (`queued` callback).
 */
#ifndef SDMAIL_SMTP_SERVER_H
#define SDMAIL_SMTP_SERVER_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>

struct cf;
struct daemon_port;
struct envelope;
struct tls_context;

struct log_ctx;

/* how long a committed message waits for the client's next command */
#define SMTP_SERVER_HOLD_MS 100

struct smtp_server_config {
	int rfd, wfd;
	/* the listener (Name=, M= modifiers); NULL for -bs */
	const struct daemon_port *port;
	/* -bs: the client is the invoking user ($_ "user@localhost"),
	 * check_relay is not run, replies go to standard output */
	bool stdio;
	const char *ident;                   /* $_ for -bs */
	const struct sockaddr *peer;         /* network clients */
	socklen_t peerlen;
	struct tls_context *tls;             /* NULL: no STARTTLS */
	bool implicit_tls;                   /* M=s: TLS before the greeting */
	/* macros the daemon knows about the client (${client_rate},
	 * ${total_rate}, ${client_connections}): name, value, ..., NULL */
	const char *const *extra_macros;
	/* a message was committed to the queue (its lock is released); after
	 * VERB `transcript` is not NULL: deliver it now, before the reply to
	 * its data, with the -v transcript there (the client sees it as 050
	 * lines, as sendmail's interactive delivery after VERB) */
	void (*queued)(void *arg, struct cf *cf, const char *queue_id, FILE *transcript);
	void *queued_arg;
	/* ETRN: start a queue run, in the background, of the entries with a
	 * recipient containing `match` ("@host", or the domain of "@domain"),
	 * or of the whole queue (`match` NULL: ETRN #mqueue); the run must
	 * not keep the session's descriptors `rfd` and `wfd` open.  NULL:
	 * the replies are given and nothing runs */
	void (*etrn)(void *arg, struct cf *cf, const char *match, int rfd, int wfd);
	void *etrn_arg;
	/*
	 * With `after` set, a committed message goes to `queued` only once
	 * the client's next command is not QUIT (or it said nothing for
	 * SMTP_SERVER_HOLD_MS); the messages of a session that ends instead
	 * go to `after`, called once the last reply is out and the session's
	 * state is gone, so that the caller can close the connection first.
	 */
	void (*after)(void *arg, struct cf *cf, char *const *queue_ids, size_t n);
	struct log_ctx *log;                 /* NULL: the session logs nothing */
};

/*
 * Run the session until QUIT, end of input, a fatal error or a timeout.
 * Returns the exit status sendmail gives `-bs` (0, or the worst user
 * error of the session).
 */
int smtp_server_session(struct cf *cf, const struct smtp_server_config *config);

#endif
