/*
 * mboxlock: the locks that keep mail.local, mail readers and other
 * delivery agents from writing one mbox at the same time.  Debian's
 * mail.local takes a POSIX record lock (fcntl F_SETLKW on the whole file)
 * and a dot-lock file NAME.lock made the NFS-safe way (a unique file
 * linked to the lock name); mutt, s-nail, procmail, Postfix and Exim use
 * the same pair on Linux.  mboxlock takes both, and also flock(2) where it
 * is a lock of its own (not on NFS, where Linux emulates it with fcntl
 * locks and the two would collide), for readers that use only flock, such
 * as UW c-client (alpine).
 *
 * No lock is waited for while another is held: each round takes the
 * dot-lock, then tries the kernel locks without blocking, and gives
 * everything back when one is busy, so a reader that takes the locks in
 * the other order cannot deadlock with us.  A dot-lock older than five
 * minutes is stale (liblockfile's and procmail's rule) and removed.
 */
#ifndef SDMAIL_LOCAL_MBOXLOCK_H
#define SDMAIL_LOCAL_MBOXLOCK_H

#include <stdbool.h>

#define MBOXLOCK_STALE_SECONDS 300

struct mboxlock {
	int dirfd;        /* the mailbox's directory (not owned) */
	int fd;           /* the mailbox (not owned) */
	char *lockname;   /* NAME.lock, relative to dirfd */
	bool dotlocked;
	bool kernel_locked;
};

/*
 * Lock mailbox `name` in directory dirfd, open as fd, waiting up to
 * timeout_ms.  Returns 0, -ETIMEDOUT, or -errno when the dot-lock cannot
 * be made at all (EACCES: no write permission in the directory, ...).
 */
int mboxlock_acquire(struct mboxlock *l, int dirfd, const char *name, int fd, int timeout_ms);
/* Give back every lock held; the mailbox stays open. */
void mboxlock_release(struct mboxlock *l);

#endif
