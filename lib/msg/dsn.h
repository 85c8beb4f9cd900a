/*
 * dsn: delivery status notifications (RFC 3464) as sendmail 8.17 writes
 * them — the bounce ("Returned mail: see transcript for details"), the
 * delay warning, the return receipt and the postmaster notice.  From an
 * envelope whose recipients carry the results of a delivery attempt
 * (msg/envelope.h) and its body, dsn_build makes a new envelope, queued
 * and delivered like any message: the null sender (MAILER-DAEMON), one
 * recipient, the configuration's default headers (Received, Date, From:
 * Mail Delivery Subsystem, Message-Id) plus To, the multipart/report
 * Content-Type with sendmail's boundary (QID.time/$j), Subject and
 * Auto-Submitted, and a body with the human-readable part (the recipients
 * and the session transcript), the message/delivery-status part
 * (Original-Envelope-Id, Reporting-MTA, Arrival-Date, and per recipient
 * Original-Recipient, Final-Recipient, X-Actual-Recipient, Action,
 * Status, Remote-MTA, Diagnostic-Code, Last-Attempt-Date,
 * Will-Retry-Until) and the returned message (message/rfc822 or
 * text/rfc822-headers, headers as the *file* mailer writes them, "From "
 * lines escaped), or the plain-text form when SendMimeErrors is off.
 * Deciding who gets a DSN (NOTIFY, ErrorMode, postmaster copies) is the
 * caller's; dsn_reports says which recipients a DSN of a kind covers.
 */
#ifndef SDMAIL_MSG_DSN_H
#define SDMAIL_MSG_DSN_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

struct cf;
struct envelope;
struct env_rcpt;
struct macro_env;

enum dsn_kind {
	DSN_FAILURE,    /* permanent failures (and expired messages) */
	DSN_DELAY,      /* still undelivered after Timeout.queuewarn */
	DSN_SUCCESS,    /* receipts for NOTIFY=SUCCESS */
	DSN_POSTMASTER, /* the postmaster's copy, or a bounce of a bounce */
};

struct dsn_request {
	enum dsn_kind kind;
	const struct envelope *orig; /* the message and its recipients' results */
	int orig_df;                 /* its body, read from the start */
	long long orig_size;         /* its size as its priority counted it */
	bool size_in_priority;       /* the DSN's priority counts orig_size + 1024 */
	const char *return_to;       /* the DSN's recipient ("root", "<a@b.c>") */
	bool headers_only;           /* return the header only */
	bool mime;                   /* SendMimeErrors: multipart/report */
	const char *error_text;      /* ErrorHeader text to add, or NULL */
	const char *received_from;   /* Received-From-MTA host, or NULL */
	bool pass_dsn_params;        /* the DSN carries the message's ENVID and RET */
	long long warn_after;        /* DSN_DELAY: Timeout.queuewarn, seconds */
	long long expired_after;     /* FAILURE by Timeout.queuereturn: its value, 0 */
	long long return_after;      /* Timeout.queuereturn (Will-Retry-Until) */
	const char *log_why;         /* the log line's reason when not orig's message */
	const char *log_label;       /* "postmaster notify", "return to sender"; NULL: "DSN" */
	/* return_to as already expanded (its members, with their qf C lines),
	 * the DSN's recipients instead of return_to; NULL: return_to */
	const struct env_rcpt *members;
	time_t now;
};

/* Does a DSN of `kind` report this recipient? */
bool dsn_reports(const struct env_rcpt *r, enum dsn_kind kind);
/* How many recipients of `e` it would report. */
int dsn_count(const struct envelope *e, enum dsn_kind kind);

/*
 * Fill `dsn` (initialized, its id already allocated) and write its body
 * to `body`.  Macros ($j, the H lines') come from `env`.  Returns 0, or
 * -errno when the original body cannot be read.
 */
int dsn_build(struct cf *cf, struct macro_env *env, const struct dsn_request *rq,
              struct envelope *dsn, FILE *body);

/*
 * The message `e` (body read from `fd`) as the *file* mailer writes it:
 * the header block with its sender's $g in Return-Path, and the body with
 * "From " lines escaped — what a DSN returns and a dead.letter keeps.
 * 0 or -errno.
 */
struct strbuf;
int dsn_file_form(struct cf *cf, struct macro_env *env, const struct envelope *e, int fd,
                  struct strbuf *headers, struct strbuf *body);

/*
 * "1 day, 2 hours, 3 minutes, 4 seconds": an interval as sendmail's
 * messages spell it.
 */
void dsn_interval(long long seconds, char *buf, size_t size);

#endif
