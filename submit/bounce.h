/*
 * bounce: what the sendmail command does about mail it cannot deliver —
 * sendmail's savemail and returntosender for the client queue.  After a
 * delivery attempt, recipients refused for good are returned as
 * ErrorMode says: nothing with q; with p (the default), m, w and e a DSN
 * (msg/dsn.h) goes to the sender — to DoubleBounceAddress (postmaster) as
 * a postmaster notice when the sender is the null address — and a copy
 * with the header only to PostmasterCopy when set; e then exits 0.
 * Return receipts go out for NOTIFY=SUCCESS recipients relayed to servers
 * without DSN (PrivacyOptions=noreceipts is the SMTP server's).  A DSN is
 * a new entry in the client queue, committed durably, and delivered at
 * once over the same cached connection; a DSN refused for good gets a
 * notice to the postmaster, and when that is refused too the DSN is
 * appended to DeadLetterDrop — only an existing regular file on a path
 * nobody else may write to (sdmail never creates one) — or else stays in
 * the client queue for the administrator.  Queue runs add the timeouts
 * (the normal class of each): after an attempt, entries older than
 * Timeout.queuereturn are returned and removed, entries older than
 * Timeout.queuewarn get one delay warning (F line 'w').  With a log,
 * each DSN about failures is logged as sendmail logs it ("QID: DSNQID:
 * DSN: why", "return to sender" for a notice about a bounce) and its
 * delivery attempts have their to= lines.
 */
#ifndef SDMAIL_SUBMIT_BOUNCE_H
#define SDMAIL_SUBMIT_BOUNCE_H

#include <stdbool.h>
#include <stdio.h>

struct cf;
struct log_ctx;
struct deliver_cache;
struct envelope;
struct queue;
struct queue_entry;

struct bounce {
	struct cf *cf;
	struct queue *q;             /* the client queue, NULL without one */
	struct deliver_cache *cache; /* connections to reuse */
	FILE *verbose;               /* -v: the dialogue, NULL for none */
	bool queue_run;              /* -q rather than a submission */
	bool deliver_now;            /* send DSNs at once (else they wait queued) */
	bool quiet;                  /* print nothing (stdout is an SMTP session) */
	struct log_ctx *log;         /* the DSN: and to= lines, NULL: none */
	char *error_text;            /* ErrorHeader, expanded (bounce_done frees) */
	bool error_text_done;
};

/*
 * After an attempt of `e` (body `dffd`, size as its priority counted it):
 * return its failures and receipts, or for a DSN that failed, try the
 * postmaster and save it.  Returns the exit status the command reports:
 * `status`, or 0 with ErrorMode e.
 */
int bounce_after_attempt(struct bounce *b, struct envelope *e, int dffd, long long size,
                         int status);

/*
 * Queue runs, after an attempt: Timeout.queuereturn returns and finishes
 * the entry's pending recipients, Timeout.queuewarn sends one warning
 * (and marks the entry so); nothing when neither has passed.
 */
void bounce_timeouts(struct bounce *b, struct envelope *e, int dffd);

/* Free what `b` keeps between calls (not the cache). */
void bounce_done(struct bounce *b);

/* A queued message's size as sendmail counts it: the df plus its H lines. */
long long entry_size(const struct envelope *e, int dffd);

#endif
