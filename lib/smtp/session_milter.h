/*
 * session_milter: the SMTP server's side of the mail filters (lib/milter)
 * — one filter session per SMTP session, asked at connect, HELO, MAIL,
 * RCPT, DATA, unknown commands and the end of the message, and the
 * replies sendmail 8.17 gives for their verdicts: a rejected connection
 * is greeted "554 ... not accepting messages" and refused at MAIL, RCPT
 * and DATA; a rejected HELO has its reply repeated there; verdicts at
 * the commands are their replies; at the end of the message the filters'
 * changes are applied to the envelope and the df before the queue commit,
 * or the message is refused, or discarded.  Without InputMailFilters all
 * of it is a no-op.
 */
#ifndef SDMAIL_SMTP_SESSION_MILTER_H
#define SDMAIL_SMTP_SESSION_MILTER_H

#include <stdbool.h>
#include <stddef.h>

struct session;

enum milter_greeting {
	MILTER_GREET_NORMAL,
	MILTER_GREET_REJECT,   /* "554 $j ESMTP not accepting messages" */
	MILTER_GREET_SHUTDOWN, /* "421 ... closing connection", then the end */
};

/* Connect to the filters and ask them about the client. */
enum milter_greeting session_milter_connect(struct session *s);

/*
 * The commands: false when the filters refused it (the reply was sent).
 * `params` are the ESMTP parameters as the client wrote them.
 */
bool session_milter_helo(struct session *s, const char *helo);
bool session_milter_mail(struct session *s, const char *addr, const char *params);
bool session_milter_rcpt(struct session *s, const char *addr, const char *params);
bool session_milter_data(struct session *s);
bool session_milter_unknown(struct session *s, const char *line);

/* A refusal that stands for every later MAIL/RCPT/DATA (a rejected
 * connection or HELO): sends it and returns true, else false. */
bool session_milter_blocked(struct session *s, const char *addr);

enum milter_eom_outcome {
	MILTER_EOM_ACCEPT,  /* changes applied: commit */
	MILTER_EOM_REFUSED, /* the reply was sent: abort the entry */
	MILTER_EOM_DISCARD, /* answer as accepted, keep nothing */
};

/* The collected message (the df at `df_fd`, the first `own_skip`
 * headers of the envelope being the server's own). */
enum milter_eom_outcome session_milter_eom(struct session *s, int df_fd, size_t own_skip);

/* The transaction ended without end of message. */
void session_milter_abort(struct session *s);
void session_milter_end(struct session *s);

#endif
