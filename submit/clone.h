/*
 * clone: what happens to the clones a delivery attempt made for list
 * owners (deliver.h, deliver_outcome.clones) — sendmail's clones of an
 * envelope.  Each becomes a queue entry of its own before the parent's
 * entry forgets those members (a copy of the df, its qf committed
 * durably), is logged "QID: CLONEQID: clone: owner=OWNER", and is then
 * delivered at once like a queue entry, its failures returned to the
 * owner, with the caller's transcript, connection cache and log.  A clone
 * that cannot be queued gives its members back to the parent, which keeps
 * them pending.  The clone of a clone (a list with an owner inside
 * another) goes the same way, to a depth of MaxAliasRecursion.
 */
#ifndef SDMAIL_SUBMIT_CLONE_H
#define SDMAIL_SUBMIT_CLONE_H

#include <stdbool.h>

struct bounce;
struct deliver_opts;
struct deliver_outcome;
struct envelope;

/*
 * Queue and deliver out's clones of `parent` (its body is `dffd`, its
 * queue b->q) with o's transcript, cache and log, the DSNs as `b`
 * (a prototype: cf, queue, cache, verbosity) says; frees them.
 */
void clone_deliver_all(const struct bounce *b, const struct deliver_opts *o,
                       struct envelope *parent, int dffd, struct deliver_outcome *out);

#endif
