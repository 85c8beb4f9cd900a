/*
 * trace: reading a message's path out of log lines, for mailtrace(1).
 * Two questions about the text of one entry (MESSAGE, sendmail's syslog
 * line): is it the from= line of a message with a given Message-Id, and
 * did this to= line hand the message to an MTA that named its own queue
 * ID — sendmail's "stat=Sent (ID Message accepted for delivery)" and
 * Postfix's "stat=Sent (Ok: queued as ID)" — and which.  The texts come
 * from the journal, so from anyone who can log: both only read, never
 * trust lengths, and accept only what they recognise.
 */
#ifndef SDMAIL_LOG_TRACE_H
#define SDMAIL_LOG_TRACE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest queue ID the tracer follows (sendmail's are 14, Postfix's up to 17+). */
#define TRACE_QID_MAX 40

/*
 * The next hop's queue ID named in a to= line's stat=Sent (...), copied to
 * `out` (TRACE_QID_MAX + 1 bytes).  False when the line names none.
 */
bool trace_relayed_qid(const char *message, char out[TRACE_QID_MAX + 1]);

/* Is `message` a from= line whose msgid= is exactly `msgid` ("<a@b>")? */
bool trace_from_msgid(const char *message, const char *msgid);

/* A queue ID as the tracer accepts one: 6 to TRACE_QID_MAX letters and digits. */
bool trace_valid_qid(const char *s, size_t len);

#endif
