/*
 * deliver: one delivery attempt of an envelope — sendmail's sendall for a
 * single message, interactive.  The recipients still pending are resolved
 * through the rulesets (3, 0, and 5 for local addresses), grouped by
 * mailer and host (each group in sendmail's order), and every group that
 * goes through an SMTP mailer ([IPC]) gets one SMTP transaction: EHLO,
 * STARTTLS when offered, MAIL with SIZE/BODY/DSN/AUTH parameters, RCPTs,
 * the headers as putheader writes them for that mailer and the body.
 * Each recipient ends with a result (msg/envelope.h): sent, relayed to a
 * server without DSN, deferred or failed, with the status code, remote
 * MTA and diagnostic a DSN reports, and the errors go to the envelope's
 * session transcript the way sendmail writes them into its bounces
 * ("... while talking to", ">>> RCPT", "<<< 550", "550 5.1.1 ... User
 * unknown").  Reply codes map to sendmail's exit statuses and RFC 3463
 * codes as sendmail 8.17 maps them.  Deferrals leave the reason in the
 * envelope's message (its M line).  With a transcript stream, the attempt
 * is shown the way `sendmail -v` shows it.  With a log context, every
 * outcome is logged as sendmail's to= line (log/events.h).  Connections
 * can be kept in a cache across attempts (ConnectionCacheSize), probed
 * with RSET before reuse and closed last-opened first, as sendmail's are.
 * Groups of every other mailer (local, prog, *file*) are delivered by
 * progmailer.h, with the same results, transcript and log lines.
 */
#ifndef SDMAIL_DELIVER_DELIVER_H
#define SDMAIL_DELIVER_DELIVER_H

#include <stdbool.h>
#include <stdio.h>

struct cf;
struct envelope;
struct env_rcpt;
struct log_ctx;
struct macro_env;
struct deliver_cache;

struct deliver_opts {
	FILE *transcript;        /* -v: where the dialogue goes, NULL for none */
	long long msgsize;       /* SIZE=; 0: the df size plus the headers */
	bool show_failures;      /* print the text of a permanent failure on
				  * the transcript stream ("Service
				  * unavailable"), as sendmail's queue runs do */
	struct deliver_cache *cache; /* open connections to reuse; NULL: none */
	struct log_ctx *log;     /* where the to= lines go, NULL: nowhere */
	bool submitted;          /* the attempt of the submitting command: the
				  * sender, even a remote one, is its real
				  * user's (the to= lines' ctladdr) */
	bool queue_run;          /* an attempt of a queue run: HoldExpensive
				  * holds F=e mailers' recipients only for
				  * the other attempts */
};

struct deliver_outcome {
	int sent;     /* recipients accepted */
	int deferred; /* recipients to try again */
	int failed;   /* recipients refused for good */
	int status;   /* sysexits of the first permanent failure, 0 none */
	/*
	 * Members of lists with an owner (owner-LIST), taken out of the
	 * envelope untried: one new envelope per owner, a copy of the message
	 * with the owner as sender and those members as its recipients (the
	 * ones refused while expanding already failed, for its DSN).  The
	 * caller queues and delivers each, as sendmail's clones; NULL-free
	 * with deliver_outcome_free.
	 */
	struct envelope **clones;
	int nclones;
};

void deliver_outcome_free(struct deliver_outcome *out);

/*
 * Try to deliver the pending recipients of `e` now; the body is read from
 * `dffd` (rewound each time it is sent).  `env` holds the envelope's
 * macros (its parent the configuration's).  Returns 0, or -errno when the
 * body cannot be read at all.
 */
int deliver_envelope(struct cf *cf, struct macro_env *env, struct envelope *e, int dffd,
		     const struct deliver_opts *o, struct deliver_outcome *out);

/*
 * sendmail expands the address a DSN of `e` is to go to (`address`, e's
 * sender) in e's own attempt, before it makes the DSN: an address refused
 * there ("User unknown", an alias of only such users) gets e's to= line
 * and a line in e's transcript.  Returns how many recipients would take
 * the DSN; with none, sendmail sends it to the postmaster instead.  When
 * an alias or .forward named them, *members gets them (a list to free
 * with envelope_rcpt_free, each with its qf C line): the DSN goes to
 * them without a second expansion.
 */
int deliver_return_takers(struct cf *cf, struct envelope *e, const char *address,
                          const struct deliver_opts *o, struct env_rcpt **members);

/* A cache of at most ConnectionCacheSize connections (none when 0). */
struct deliver_cache *deliver_cache_new(const struct cf *cf);
/*
 * QUIT every cached connection, the one in the highest slot first, each
 * announced as "Closing connection to HOST" on `transcript` (may be NULL),
 * and free the cache.
 */
void deliver_cache_close(struct deliver_cache *dc, FILE *transcript);

#endif
