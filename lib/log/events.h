/*
 * events: sendmail's standard log lines, built and written through a log
 * context (log.h).  Each helper formats one line exactly as sendmail
 * 8.17.1 writes it ("key=value, key=value", values as sendmail prints
 * them: addresses as given, delays as [D+]HH:MM:SS, relays "name [addr]")
 * and adds the structured journal fields of that event: QUEUE_ID,
 * SDMAIL_EVENT, SMTP_FROM, SMTP_RCPT (one per recipient), SMTP_CLIENT_ADDR,
 * SMTP_CLIENT_NAME, MAILER, RELAY, DSN_STATUS.  Priorities and LogLevel
 * thresholds are sendmail's for the same line (the LOG_* constants of
 * syslog.h; a line is written when LogLevel >= threshold):
 *
 *   from=                    LOG_INFO    5
 *   to= failed (5xx)         LOG_INFO    7
 *   to= sent                 LOG_INFO    8
 *   to= deferred             LOG_INFO    9
 *   done;                    LOG_INFO   10
 *   connect from (command)   LOG_INFO   10
 *   AUTH=client              LOG_INFO   10
 *   STARTTLS=server/client   LOG_INFO    9
 *   AUTH=server              LOG_INFO   10
 *   AUTH failure             LOG_WARNING 9
 *   ruleset=... reject=      LOG_NOTICE  4
 *   lost input channel       LOG_NOTICE  2
 *   timeout waiting for input LOG_NOTICE 3
 *   did not issue MAIL/...   LOG_INFO    6
 *   QID: DSNQID: DSN: ...    LOG_INFO    6
 *
 * A to= list longer than 787 bytes is cut between two addresses into
 * several lines, each but the last ending its list with ", [more]", as
 * sendmail does.
 */
#ifndef SDMAIL_LOG_EVENTS_H
#define SDMAIL_LOG_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "log/log.h"
#include "util/strbuf.h"

#define LOG_TO_LIST_MAX 787

/*
 * A connected client or server: "name [addr]", "[addr]" without a name;
 * `text` instead when set ("root@localhost" for a -bs session, as sendmail
 * shows it).
 */
struct log_peer {
	const char *name; /* NULL: unknown */
	const char *addr; /* "192.0.2.1", "IPv6:2001:db8::1", NULL: none */
	const char *text; /* shown as is, NULL: name and addr */
};

struct log_from {
	const char *qid;
	const char *from; /* as sendmail shows it: "root", "<a@b.example>" */
	long long size;
	int class; /* precedence class */
	int nrcpts;
	const char *msgid;           /* the Message-Id as in the header, NULL: none */
	const char *bodytype;        /* NULL: none given */
	const char *proto;           /* "ESMTP", NULL for the command line */
	const char *daemon;          /* "MTA", NULL for the command line */
	const char *relay;           /* relay text, e.g. "root@localhost"; NULL: from peer */
	const struct log_peer *peer; /* NULL for the command line */
};

enum log_to_kind {
	LOG_TO_SENT,
	LOG_TO_DEFERRED,
	LOG_TO_FAILED,
};

struct log_to {
	const char *qid;
	enum log_to_kind kind;
	const char *const *rcpts; /* in sendmail's order (last given first) */
	size_t nrcpts;
	const char *ctladdr; /* "root (0/0)", NULL: none */
	long delay;          /* seconds since the message was queued */
	long xdelay;         /* seconds of this attempt, < 0: not shown */
	const char *mailer;
	long pri;
	const char *relay; /* "[127.0.0.1] [127.0.0.1]", NULL: none */
	const char *dsn;   /* "2.0.0" */
	const char *reply; /* the server's reply, NULL: none */
	const char *stat;  /* "Sent (Ok)", "Deferred: ..." */
};

/* "00:00:56", "2+03:04:05" */
void log_format_delay(struct strbuf *sb, long seconds);

/* "name [addr]" */
void log_format_peer(struct strbuf *sb, const struct log_peer *p);

void log_from(struct log_ctx *lc, const struct log_from *f);

/* One entry per line of the (possibly cut) recipient list; returns the number of lines. */
int log_to(struct log_ctx *lc, const struct log_to *t);

/* "QID: to=ADDR, delay=00:00:00, mailer=M, pri=P, stat=queued": a message
 * left to the queue runner (DeliveryMode queue, QueueLA); no dsn= */
void log_to_queued(struct log_ctx *lc, const char *qid, const char *addr, const char *mailer,
                   long pri);

/* The texts log_to writes, without writing them (for tests); free with sb_free. */
size_t log_to_lines(const struct log_to *t, struct strbuf **lines);

void log_done(struct log_ctx *lc, const char *qid, long delay, int ntries);

/* "STARTTLS=server, relay=..., version=TLSv1.3, verify=NO, cipher=..., bits=256/256" */
struct log_tls {
	const char *qid;  /* NULL: no prefix */
	const char *role; /* "server", "client" */
	const struct log_peer *peer;
	const char *version, *verify, *cipher;
	int bits, alg_bits;
};
void log_starttls(struct log_ctx *lc, const struct log_tls *t);

/*
 * "SYSERR(root): MX list for x. points back to y": a configuration or
 * system error as sendmail's syserr logs it (LOG_CRIT, always); `user` is
 * the real user of the process.
 */
void log_syserr(struct log_ctx *lc, const char *qid, const char *user, const char *text);

/* "Losing ./qfX: unrecognized line": a qf set aside as Qf (LOG_ALERT, always) */
void log_losing(struct log_ctx *lc, const char *qid, const char *path, const char *why);

/* "NOQUEUE: connect from root@localhost": a submission from the command line */
void log_connect_from(struct log_ctx *lc, const char *qid, const char *who);

/*
 * "AUTH=client, relay=[127.0.0.1], mech=, bits=0": the server offered AUTH;
 * mech is empty when the client did not authenticate (as sendmail's MSP
 * logs it).  No queue ID, as in sendmail.
 */
void log_auth_client(struct log_ctx *lc, const char *relay, const char *mech, int bits);
/*
 * The client's AUTH could not start: no mechanism of the server's list is
 * allowed (the entry's M:, else AuthMechanisms); `mechs` is what was left
 * ("" when nothing).  LOG_NOTICE with the queue ID, LogLevel 9.
 */
void log_auth_client_nomech(struct log_ctx *lc, const char *qid, const char *mechs);
/* The client's AUTH failed temporarily: the connection is given up
 * (LOG_ERR, no queue ID, LogLevel 9). */
void log_auth_client_temp(struct log_ctx *lc, const char *relay);

void log_auth_server(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                     const char *authid, const char *mech, int bits);

/*
 * "AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication
 * failure: checkpass failed, user=alice, relay=host [192.0.2.1]": `why` is
 * the SASL error text and code, `detail` its details (NULL: none).
 */
void log_auth_failure(struct log_ctx *lc, const char *qid, const char *mech, const char *why,
                      int code, const char *detail, const char *user, const struct log_peer *peer);

/* "ruleset=check_rcpt, arg1=<a@b>, relay=..., reject=550 5.7.1 ..."; arg2 NULL: none;
 * reject NULL: the ruleset discarded ("..., relay=..., discard") */
void log_reject(struct log_ctx *lc, const char *qid, const char *ruleset, const char *arg1,
                const char *arg2, const struct log_peer *peer, const char *reject);
/* The same from LogLevel `threshold` on (log_reject: 4). */
void log_reject_at(struct log_ctx *lc, int threshold, const char *qid, const char *ruleset,
                   const char *arg1, const char *arg2, const struct log_peer *peer,
                   const char *reject);

/*
 * "QID: DSNQID: DSN: Service unavailable": the delivery status
 * notification DSNQID was queued about the message QID; `label` is "DSN",
 * or "return to sender" when the message returned was itself a bounce.
 * Journal fields: QUEUE_ID (QID) and SDMAIL_DSN_QUEUE_ID (DSNQID).
 */
void log_dsn(struct log_ctx *lc, const char *qid, const char *dsn_qid, const char *label,
             const char *why);

/*
 * "QID: CLONEQID: clone: owner=OWNER": the members of a list with an owner
 * go on in the new envelope CLONEQID, sent by OWNER.  Journal fields:
 * QUEUE_ID (QID), SDMAIL_CLONE_QUEUE_ID (CLONEQID).
 */
void log_clone(struct log_ctx *lc, const char *qid, const char *clone_qid, const char *owner);

/* "lost input channel from host [addr] to MTA after rcpt" */
void log_lost_input(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                    const char *daemon, const char *after);

/* "timeout waiting for input from host [addr] during server cmd read" */
void log_input_timeout(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                       const char *during);

/* "host.: SMTP DATA-2 protocol error: 500 ..." (LOG_CRIT): a reply no
 * SMTP client expects at that stage */
void log_protocol_error(struct log_ctx *lc, const char *qid, const char *host, const char *stage,
                        const char *reply);

/* "WorkList for DIR maxed out at N": a queue run cut to MaxQueueRunSize
 * (LOG_WARNING, no queue ID) */
void log_worklist_maxed(struct log_ctx *lc, const char *dir, long long max);

/* "runqueue: Skipping queue run -- load average too high" (QueueLA;
 * LOG_INFO, LogLevel 9, no queue ID) */
void log_queue_run_skipped(struct log_ctx *lc);

/* "rejecting connections on daemon MTA: load average: 99" (RefuseLA;
 * LOG_NOTICE) or "delaying connections on daemon MTA: load average=7 >= 5"
 * (DelayLA `limit`; LOG_INFO); LogLevel 9, no queue ID */
void log_load_limit(struct log_ctx *lc, bool refusing, const char *daemon, int la, long long limit);

/* "delaying=EHLO, load average=7 >= 5": an SMTP command waits a second
 * at DelayLA (LOG_INFO, LogLevel 9) */
void log_delaying(struct log_ctx *lc, const char *qid, const char *command, int la,
                  long long limit);

/* "host [addr]: ETRN arg" (LogLevel 6) */
void log_etrn(struct log_ctx *lc, const char *qid, const struct log_peer *peer, const char *arg);

/* "<addr>... User unknown": the text of an address refused at RCPT
 * (LOG_NOTICE, LogLevel 4) */
void log_rcpt_error(struct log_ctx *lc, const char *qid, const char *text);

/* "host [addr]: VRFY arg" or "... EXPN arg" (LogLevel 6) */
void log_verify(struct log_ctx *lc, const char *qid, const struct log_peer *peer, bool expn,
                const char *arg);

/* "host [addr]: Possible SMTP RCPT flood, throttling.": the first RCPT
 * of a transaction that BadRcptThrottle slows down (LogLevel 6) */
void log_rcpt_flood(struct log_ctx *lc, const char *qid, const struct log_peer *peer);

/* "host [addr]: possible SMTP attack: command=ETRN, count=8": a command
 * repeated up to its limit in one session (LogLevel 6) */
void log_smtp_attack(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                     const char *command, int count);

/* "host [addr] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA" */
void log_no_mail(struct log_ctx *lc, const char *qid, const struct log_peer *peer,
                 const char *daemon);

#endif
