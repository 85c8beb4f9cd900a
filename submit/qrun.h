/*
 * qrun: the queue runner of the sendmail command — `sendmail -q`,
 * `-Ac -q` for the client queue, the -qI/-qR/-qS selections (with ! to
 * negate) and the periodic form `-q30m`.  Each selected entry is locked
 * (entries someone else holds are passed over), its pending recipients
 * are tried again through deliver_envelope, and the entry is removed
 * when nothing is left, or rewritten with its try count, time and
 * priority moved on (RetryFactor) as sendmail does.  Who may run a queue
 * follows sendmail: restrictqrun limits it to root, the TrustedUser and
 * the queue directory's owner; the periodic form to root and the
 * TrustedUser.  Under systemd (INVOCATION_ID set at start) or with -qf
 * the periodic runner stays in the foreground; otherwise it detaches
 * like sendmail's.
 */
#ifndef SDMAIL_SUBMIT_QRUN_H
#define SDMAIL_SUBMIT_QRUN_H

#include <stdbool.h>
#include <stdio.h>

struct cf;
struct deliver_cache;
struct envelope;
struct invocation;
struct log_ctx;
struct privs;
struct queue;
struct queue_entry;

/* Run the queue as `inv->q` says; returns a sysexits code. */
int qrun_run(struct cf *cf, const struct invocation *inv, const struct privs *pv,
             bool under_systemd);

/* One run over the queue of `cf` with inv->q's selection (no permission
 * checks: the caller made them); a sysexits code.  The to= and done;
 * lines go to `log` (the daemon's), or with NULL as qrun_log_open says. */
int qrun_once(struct cf *cf, const struct invocation *inv, struct log_ctx *log);

/*
 * ETRN: a queue run in a child process of its own, left to run while the
 * session goes on — the entries with a pending recipient containing
 * `match` (sendmail's -qR), or every entry when `match` is NULL.  The
 * child closes the session's descriptors `rfd` and `wfd` (so that the
 * client sees the session end when it ends) and prints nothing.
 */
void qrun_etrn(struct cf *cf, const char *match, struct log_ctx *log, int rfd, int wfd);

/*
 * One delivery attempt of the queued entry `id` now — what follows a
 * message taken by `sendmail -bs` in DeliveryMode i or b.  0 or -errno.
 */
int qrun_deliver_now(struct cf *cf, const char *id, struct log_ctx *log);

/*
 * The same attempt with its -v transcript on `transcript` — what follows a
 * message taken after VERB, delivered at once whatever DeliveryMode says.
 * `submitted`: the session is the invoking user's (-bs), whose uid the
 * to= lines' ctladdr shows, as sendmail's.
 */
int qrun_deliver_verbose(struct cf *cf, const char *id, struct log_ctx *log, FILE *transcript,
                         bool submitted);

/*
 * The same with the caller's connection cache (deliver/deliver.h), so that
 * one process delivering several messages reuses its connections
 * (ConnectionCacheSize, ConnectionCacheTimeout).
 */
int qrun_deliver_cached(struct cf *cf, const char *id, struct log_ctx *log,
			struct deliver_cache *cache);

/*
 * The log of a submission or a queue run (log/log.h): SYSLOG_IDENTIFIER
 * from -L, the LogLevel option, the journal when there is one and nothing
 * otherwise (the command's standard error is its caller's).  Each entry of
 * a run logs its to= lines, and "done;" when its last recipient is done.
 */
void qrun_log_open(struct log_ctx *lc, const struct cf *cf, const struct invocation *inv);

/*
 * After an attempt of the locked entry qe: remove it when nothing is left
 * (logging "done;" to lc when not NULL), else rewrite it with its try
 * count and time moved on (`queue_run`: and its df's identity).
 */
void qrun_settle(struct queue *q, struct queue_entry *qe, struct envelope *e, int dffd,
                 struct log_ctx *lc, bool queue_run);

/* "done; delay=..., ntries=N" for an entry whose last recipient is done. */
void qrun_log_done(struct log_ctx *lc, const struct envelope *e);

#endif
