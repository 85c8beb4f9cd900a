/*
 * session_log: the log lines of one SMTP server session, in sendmail's
 * text through lib/log — the from= line of each accepted message, the
 * ruleset=... reject= line of each policy refusal, STARTTLS=server, and
 * how the session ended when that is worth a line (lost input channel,
 * timeout waiting for input, did not issue MAIL/EXPN/VRFY/ETRN).  The
 * client is shown as sendmail shows it: "name [addr]", "[addr]", or for
 * -bs the invoking user; AUTH=server and AUTH failure lines.  Lines before a queue entry exists carry
 * NOQUEUE.  Nothing is written when the session has no log context.
 */
#ifndef SDMAIL_SMTP_SESSION_LOG_H
#define SDMAIL_SMTP_SESSION_LOG_H

#include <stdbool.h>

struct session;
struct collect_result;

enum session_end {
	SESSION_END_QUIT,    /* QUIT, or the server closed it */
	SESSION_END_LOST,    /* end of input without QUIT */
	SESSION_END_TIMEOUT, /* Timeout.command ran out */
};

/*
 * The queue ID of the session's envelope, as sendmail's: made when a line
 * first needs it (MAIL, ETRN, the end of a session without MAIL), kept by
 * the transaction that MAIL starts and by its message in the queue, new
 * after the transaction ends (DATA, RSET, HELO/EHLO, STARTTLS, QUIT).
 */
const char *session_id(struct session *s);
/* The ID if the session has one, else "NOQUEUE" (a refusal before it). */
const char *session_log_qid(const struct session *s);
/* The transaction that used the ID is over: the next line gets a new one. */
void session_id_done(struct session *s);

/* "ruleset=..., reject=CODE TEXT" under `qid` (NULL: none, as sendmail's
 * NOQID); code NULL: the ruleset discarded */
void session_log_reject(struct session *s, const char *qid, const char *ruleset, const char *arg1,
                        const char *arg2, const char *code, const char *text);
void session_log_starttls(struct session *s);
void session_log_from(struct session *s, const char *qid, const struct collect_result *cr);
/* sendmail's "to=..., dsn=4.4.3, stat=queued" for each recipient that
 * could not be resolved yet (DeliveryMode defer) once the message is queued. */
void session_log_will_queue(struct session *s, const char *qid);
void session_log_end(struct session *s, enum session_end how);
/* "to=..., stat=queued" for each recipient of a message QueueLA or
 * DeliveryMode queue/defer leaves in the queue (those already said to be
 * queued at RCPT, and local ones that aliases may expand, aside) */
void session_log_load_queued(struct session *s, const char *qid);
/* "client: ETRN arg", under a queue ID of the session's own as sendmail's */
void session_log_etrn(struct session *s, const char *arg);
/* "client: VRFY arg" / "client: EXPN arg", under the session's queue ID */
void session_log_verify(struct session *s, bool expn, const char *arg);
/* BadRcptThrottle: "client: Possible SMTP RCPT flood, throttling." */
void session_log_rcpt_flood(struct session *s);
/* "client: possible SMTP attack: command=ETRN, count=8" */
void session_log_attack(struct session *s, const char *command, int count);
/* DelayLA: "delaying=EHLO, load average=7 >= 5", under the same ID */
void session_log_delaying(struct session *s, const char *command, int la, long long limit);
/* AUTH=server (ok) or "AUTH failure (MECH): ..." (what fail2ban reads). */
void session_log_auth(struct session *s, bool ok, const char *mech, const char *user,
		      const char *detail, int bits);

#endif
