/*
 * listq: `sendmail -bp` / `mailq` — the listing of the queue of the
 * configuration in use (QueueDirectory), with sendmail's restrictmailq
 * rule (only root, the TrustedUser and members of the queue directory's
 * group may look) and its -v, -qQ (quarantined) and -qL (lost) forms.
 * The "MSP Queue status..." / "MTA Queue status..." titles of Debian's
 * mailq belong to the caller, which lists both queues when called as
 * mailq.
 */
#ifndef SDMAIL_SUBMIT_LISTQ_H
#define SDMAIL_SUBMIT_LISTQ_H

struct cf;
struct invocation;
struct privs;

/* Print the listing; returns a sysexits code. */
int listq_run(struct cf *cf, const struct invocation *inv, const struct privs *pv);

#endif
