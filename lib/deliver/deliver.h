/*
 * deliver: one delivery attempt of an envelope — sendmail's sendall for a
 * single message, interactive.  The recipients still pending are resolved
 * through the rulesets (3, 0, and 5 for local addresses), grouped by
 * mailer and host (each group in sendmail's order), and every group that
 * goes through an SMTP mailer ([IPC]) gets one SMTP transaction: EHLO,
 * STARTTLS when offered, MAIL with SIZE/BODY/DSN/AUTH parameters, RCPTs,
 * the headers as putheader writes them for that mailer and the body.
 * Recipients that were accepted or permanently refused are marked done;
 * deferrals leave the reason in the envelope's message (its M line).  With
 * a transcript stream, the attempt is shown the way `sendmail -v` shows
 * it.  With a log context, every outcome is logged as sendmail's to= line
 * (log/events.h).  Local, program and file mailers belong to the MTA and are deferred
 * here with a clear reason.
 */
#ifndef SDMAIL_DELIVER_DELIVER_H
#define SDMAIL_DELIVER_DELIVER_H

#include <stdbool.h>
#include <stdio.h>

struct cf;
struct envelope;
struct log_ctx;
struct macro_env;

struct deliver_opts {
	FILE *transcript;        /* -v: where the dialogue goes, NULL for none */
	long long msgsize;       /* SIZE=; 0: the df size plus the headers */
	bool quiet_errors;       /* ErrorMode q/e: do not print permanent failures */
	struct log_ctx *log;     /* where the to= lines go, NULL: nowhere */
};

struct deliver_outcome {
	int sent;     /* recipients accepted */
	int deferred; /* recipients to try again */
	int failed;   /* recipients refused for good */
	int status;   /* sysexits of the worst permanent failure, 0 none */
};

/*
 * Try to deliver the pending recipients of `e` now; the body is read from
 * `dffd` (rewound each time it is sent).  `env` holds the envelope's
 * macros (its parent the configuration's).  Returns 0, or -errno when the
 * body cannot be read at all.
 */
int deliver_envelope(struct cf *cf, struct macro_env *env, struct envelope *e, int dffd,
		     const struct deliver_opts *o, struct deliver_outcome *out);

#endif
