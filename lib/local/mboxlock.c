/*
 * mboxlock: dot-lock, fcntl and flock on a mailbox (see mboxlock.h).
 */
#include "local/mboxlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "util/deadline.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define NFS_MAGIC 0x6969

/*
 * One attempt at NAME.lock: a uniquely named file in the same directory,
 * hard-linked to the lock name.  The link count of the unique file says
 * whether the link was made even when NFS loses the reply to link(2).
 */
static int dotlock_try(struct mboxlock *l)
{
	char host[33] = "localhost", unique[96], pid[24];
	struct stat st;
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, ".")] = '\0';
	for (char *h = host; *h; h++)
		if (*h == '/')
			*h = '_';
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(unique, sizeof(unique), ".lk%ld.%lx.%s", (long)getpid(), (unsigned long)now.tv_nsec,
		 host);
	int fd = openat(l->dirfd, unique, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	int e = write(fd, pid, (size_t)n) == n ? 0 : -EIO;
	if (close(fd) < 0 && e == 0)
		e = -errno;
	if (e == 0) {
		if (linkat(l->dirfd, unique, l->dirfd, l->lockname, 0) < 0)
			e = -errno;
		if (fstatat(l->dirfd, unique, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_nlink == 2)
			e = 0;
		else if (e == 0)
			e = -EEXIST;
	}
	unlinkat(l->dirfd, unique, 0);
	return e;
}

/* Remove NAME.lock when it is stale.  0: not stale or removed; -errno: cannot. */
static int break_stale(struct mboxlock *l)
{
	struct stat st;
	if (fstatat(l->dirfd, l->lockname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (time(NULL) - st.st_mtime <= MBOXLOCK_STALE_SECONDS)
		return 0;
	if (unlinkat(l->dirfd, l->lockname, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* Both kernel locks, without waiting.  true when held. */
static bool kernel_try(struct mboxlock *l)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	struct statfs sfs;
	if (fcntl(l->fd, F_SETLK, &fl) < 0)
		return false;
	bool nfs = fstatfs(l->fd, &sfs) == 0 && sfs.f_type == NFS_MAGIC;
	if (!nfs && flock(l->fd, LOCK_EX | LOCK_NB) < 0) {
		fl.l_type = F_UNLCK;
		fcntl(l->fd, F_SETLK, &fl);
		return false;
	}
	return true;
}

static void pause_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int mboxlock_acquire(struct mboxlock *l, int dirfd, const char *name, int fd, int timeout_ms)
{
	struct strbuf sb = STRBUF_INIT;
	struct deadline dl;
	int wait_ms = 50;
	memset(l, 0, sizeof(*l));
	l->dirfd = dirfd;
	l->fd = fd;
	sb_printf(&sb, "%s.lock", name);
	l->lockname = sb_detach(&sb);
	deadline_start(&dl, timeout_ms);
	for (;;) {
		int e = dotlock_try(l);
		if (e == 0) {
			l->dotlocked = true;
			if (kernel_try(l)) {
				l->kernel_locked = true;
				return 0;
			}
			unlinkat(l->dirfd, l->lockname, 0);
			l->dotlocked = false;
		} else if (e == -EEXIST) {
			e = break_stale(l);
			if (e < 0)
				return e;
		} else {
			return e;
		}
		int left = deadline_left(&dl);
		if (left == 0)
			return -ETIMEDOUT;
		pause_ms(left > 0 && left < wait_ms ? left : wait_ms);
		wait_ms = wait_ms < 1000 ? wait_ms * 2 : 2000;
	}
}

void mboxlock_release(struct mboxlock *l)
{
	if (l->kernel_locked) {
		struct flock fl = {.l_type = F_UNLCK, .l_whence = SEEK_SET};
		flock(l->fd, LOCK_UN);
		fcntl(l->fd, F_SETLK, &fl);
		l->kernel_locked = false;
	}
	if (l->dotlocked) {
		unlinkat(l->dirfd, l->lockname, 0);
		l->dotlocked = false;
	}
	free(l->lockname);
	l->lockname = NULL;
}
