/*
 * progmailer: the mailers that are programs or files rather than SMTP
 * connections — sendmail's local, prog and *file* deliveries, run by the
 * MTA for one group of recipients of one envelope.  A mailer's P= program
 * runs with its A= arguments expanded ($u once per recipient with F=m,
 * one process per recipient otherwise; $g the sender as the mailer's S=
 * rulesets write it) and is fed the message as the mailer's flags say
 * (F=U: a UNIX From_ line; F=E: ">From " in the body), the headers as
 * putheader writes them for that mailer and the body from the df.  Its
 * exit status becomes each recipient's result with sendmail's words for
 * sysexits ("User unknown", "Deferred: local mailer (P) exited with
 * EX_TEMPFAIL").  With F=z the program speaks LMTP on the pipe (LHLO, MAIL,
 * one RCPT each, DATA, one reply per recipient).  Identity: the local
 * mailer (mail.local) keeps the caller's uid and its CAP_SETUID/CAP_SETGID
 * so that it can become each recipient itself; every other program and
 * every file append runs as the controlling user (the owner of the
 * .forward or :include: the address came from), else the mailer's U=,
 * else DefaultUser, with its groups and without any capability.  Files
 * are appended with sendmail's rules: SafeFileEnvironment, no symbolic
 * link, a regular file that is not executable, From_ line, fsync.
 */
#ifndef SDMAIL_DELIVER_PROGMAILER_H
#define SDMAIL_DELIVER_PROGMAILER_H

#include <stdbool.h>
#include <stdio.h>

struct address;
struct envelope;
struct mailer;
struct recipient;
struct cf;
struct rw_ctx;
struct strbuf;

struct pm_rcpt {
	const struct recipient *r; /* in */
	int exit;                  /* out: sysexits, EX_OK when delivered */
	char dsn[16];              /* out: RFC 3463 status of the to= line, "2.0.0" */
	char dsn_status[16];       /* out: the status a DSN reports */
	char *stat;                /* out: stat= text without "Deferred: " */
	char *reply;               /* out: LMTP reply ("550 5.1.1 ...") or NULL */
	char *output;              /* out: what the program printed, or NULL */
	char *ctladdr;             /* out: the to= line's ctladdr=, or NULL */
};

/*
 * A mailer spoken to in LMTP (F=z) can stay running between groups, as
 * sendmail caches its connection: RSET before each reuse, QUIT at the end.
 */
struct pm_cache;

struct pm_job {
	struct rw_ctx *ctx; /* cf, macros (the envelope's), pool */
	const struct envelope *e;
	int dffd; /* the body */
	const struct mailer *m;
	const char *host;             /* $h, "" for none */
	const struct address *sender; /* the envelope sender, resolved */
	struct pm_rcpt *rcpts;
	int n;
	FILE *transcript;       /* -v: the LMTP dialogue, NULL for none */
	struct pm_cache *cache; /* a running LMTP mailer to reuse, or NULL */
	const char *names;      /* the group's addresses for -v ("a,b"), or NULL */
};

/* Deliver the group; every recipient's result is set.  Frees nothing. */
void progmailer_deliver(struct pm_job *j);

/*
 * A recipient's result from the last line of an LMTP reply ("550 5.1.1
 * text"), to RCPT (`rcpt_phase`) or after the data: 2xx sent, 5xx failed
 * (550/551/553 to RCPT: User unknown), anything else deferred.
 */
void progmailer_lmtp_result(struct pm_rcpt *p, const char *text, bool rcpt_phase);

struct pm_cache *progmailer_cache_new(void);
/* "Closing connection to local" on `transcript` (may be NULL), QUIT, free. */
void progmailer_cache_close(struct pm_cache *pc, FILE *transcript);

/* Free the strings of the results. */
void progmailer_results_free(struct pm_rcpt *r, int n);

/* sendmail's words for a sysexits status ("User unknown"), NULL if none. */
const char *progmailer_exit_words(int status);
/* Its RFC 3463 code ("5.1.1"). */
const char *progmailer_exit_dsn(int status);
/*
 * The line a failure adds to the transcript of a bounce: "550 5.1.1
 * ADDR... User unknown", "554 5.3.0 unknown mailer error 1".
 */
void progmailer_failure_line(int status, const char *addr, struct strbuf *out);
/*
 * "ALIAS (uid/gid)": the ctladdr= sendmail logs for an address an alias,
 * :include: or .forward named: that address, and the ids a program it
 * named would run with (no controlling user: DefaultUser's uid, group 0).
 */
char *progmailer_member_ctladdr(const struct cf *cf, const struct recipient *r);
/* Those ids alone. */
void progmailer_member_ids(const struct cf *cf, const struct recipient *r, unsigned long *uid,
                           unsigned long *gid);
/* Is the status worth another try? */
int progmailer_exit_transient(int status);

#endif
