/*
 * log: where sdmail's log lines go and what each carries.  A log context
 * is made once per run from the -L tag (SYSLOG_IDENTIFIER; "sendmail"
 * without it, at most 32 characters, non-printables and '%' shown as '*'
 * as sendmail shows them) and the LogLevel option, and chooses its
 * destination once: the journal when /run/systemd/journal/socket is
 * there, otherwise the fallback the caller asked for — standard error in
 * syslog's text form ("Nov 22 04:04:34 host tag[pid]: text") for a daemon
 * run by hand, or nothing at all for the sendmail command, whose standard
 * error belongs to its caller (sendmail logs nothing there either).
 *
 * One entry is one line of sendmail's syslog text (MESSAGE: the queue ID
 * or NOQUEUE, ": ", the text; some lines have no ID, as in sendmail)
 * with its syslog priority (PRIORITY, the LOG_* level sendmail uses for
 * that line), SYSLOG_FACILITY=2 (mail), SYSLOG_IDENTIFIER, SDMAIL_EVENT,
 * QUEUE_ID when there is one, MESSAGE_ID for the kinds of entries the
 * message catalog explains (catalog.h), and the structured fields the caller adds
 * (SMTP_FROM, SMTP_RCPT, ...; a name may repeat).  An entry is written
 * only when LogLevel reaches its threshold, the level at which sendmail
 * starts to log that line.  Control characters in texts and values are
 * written as '?', so no input can forge a second log line.  The context
 * is passed explicitly; the only hidden state is sd-journal's socket.
 */
#ifndef SDMAIL_LOG_LOG_H
#define SDMAIL_LOG_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

#define LOG_IDENT_MAX 32
#define LOG_JOURNAL_SOCKET "/run/systemd/journal/socket"

enum log_dest {
	LOG_DEST_NONE,    /* nothing is written */
	LOG_DEST_JOURNAL, /* sd_journal_sendv */
	LOG_DEST_STDERR,  /* syslog-like text lines on err_fd */
};

/* What to do without a journal. */
enum log_fallback {
	LOG_FALLBACK_NONE,
	LOG_FALLBACK_STDERR,
};

struct log_ctx {
	char ident[LOG_IDENT_MAX + 1]; /* SYSLOG_IDENTIFIER */
	long level;                    /* LogLevel */
	enum log_dest dest;
	enum log_fallback fallback; /* used when the journal refuses an entry */
	int err_fd;                 /* the stderr destination, 2 by default */
	char host[65];              /* host name of stderr lines, up to the first dot */
};

struct log_field {
	const char *name; /* "SMTP_RCPT" */
	const char *value;
};

struct log_entry {
	int priority;      /* LOG_INFO, LOG_NOTICE, ... */
	long threshold;    /* written when LogLevel >= threshold */
	const char *qid;   /* "6AM44YCK000058", "NOQUEUE", NULL: no prefix */
	const char *event; /* SDMAIL_EVENT, e.g. "from" */
	const char *text;  /* the line after "qid: " */
	const struct log_field *fields;
	size_t nfields;
};

/*
 * Set up `lc`: tag NULL means "sendmail".  The destination is the journal
 * when its socket exists (`journal_socket`; NULL: the standard path),
 * otherwise as `fallback` says.
 */
void log_init(struct log_ctx *lc, const char *tag, long level, enum log_fallback fallback,
              const char *journal_socket);

/* Would an entry with this threshold be written? */
bool log_wants(const struct log_ctx *lc, long threshold);

/*
 * Write one entry.  Returns 1 written, 0 filtered out or no destination,
 * -errno when the destination failed (a refused journal entry is written
 * to the fallback instead, which is used from then on).
 */
int log_emit(struct log_ctx *lc, const struct log_entry *en);

/* The -L tag as sendmail shows it: at most 32 bytes, '*' for the rest. */
void log_ident(char out[LOG_IDENT_MAX + 1], const char *tag);

#endif
