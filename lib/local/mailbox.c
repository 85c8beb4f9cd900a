/*
 * mailbox: safe append of a spooled message to an mbox (see mailbox.h).
 */
#include "local/mailbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "local/mboxfmt.h"
#include "local/mboxlock.h"

#define R_TEMP "450 4.2.0"
#define R_PERM "550 5.2.0"

void local_result_set(struct local_result *r, const char *reply, const char *fmt, ...)
{
	va_list ap;
	snprintf(r->reply, sizeof(r->reply), "%s", reply);
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
}

bool local_result_ok(const struct local_result *r)
{
	return r->reply[0] == '2';
}

int local_result_exit(const struct local_result *r)
{
	switch (r->reply[0]) {
	case '2':
		return 0;
	case '4':
		return EX_TEMPFAIL;
	default:
		return EX_UNAVAILABLE;
	}
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* The directory, readable when possible so that a new entry can be fsynced. */
static int open_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == EACCES)
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd;
}

/* Create the mailbox as the user.  Returns the fd or -1 with r set. */
static int create_mailbox(const struct mailbox_target *t, int dirfd, struct local_result *r)
{
	int fd = openat(dirfd, t->name,
			O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
			0600);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			local_result_set(r, R_PERM, "%s: lstat: file changed after open", t->path);
		else
			local_result_set(r, R_TEMP, "Create %s: %s", t->path, strerror(errno));
		return -1;
	}
	if (fchown(fd, t->uid, t->gid) < 0) {
		local_result_set(r, R_TEMP, "chown %u.%u: %s", (unsigned)t->uid, (unsigned)t->gid,
				 strerror(errno));
		close(fd);
		unlinkat(dirfd, t->name, 0);
		return -1;
	}
	fsync(dirfd);
	return fd;
}

/* Open an existing mailbox after mail.local's checks.  -1 with r set. */
static int open_mailbox(const struct mailbox_target *t, int dirfd, const struct stat *st,
			struct local_result *r)
{
	struct stat fst;
	if (st->st_nlink > 1) {
		local_result_set(r, R_PERM, "%s: too many links", t->path);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		local_result_set(r, R_PERM, "%s: irregular file", t->path);
		return -1;
	}
	if (st->st_uid != t->uid) {
		local_result_set(r, R_PERM, "%s: wrong ownership (%d)", t->path, (int)st->st_uid);
		return -1;
	}
	int fd = openat(dirfd, t->name, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		local_result_set(r, R_TEMP, "Append %s: %s", t->path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &fst) < 0 || !same_file(st, &fst)) {
		local_result_set(r, R_TEMP, "%s: fstat: file changed after open", t->path);
		close(fd);
		return -1;
	}
	return fd;
}

static int acquire(const struct mailbox_target *t, int dirfd, struct local_result *r)
{
	struct stat st;
	if (fstatat(dirfd, t->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return open_mailbox(t, dirfd, &st, r);
	if (errno != ENOENT) {
		local_result_set(r, R_TEMP, "%s: lstat: %s", t->path, strerror(errno));
		return -1;
	}
	return create_mailbox(t, dirfd, r);
}

/* Append under the locks; on failure the mailbox is cut back to old_size. */
static void append(const struct mailbox_target *t, int fd, const struct mboxfmt *msg,
		   off_t old_size, struct local_result *r)
{
	int e = mboxfmt_copy(msg, fd);
	if (e < 0) {
		const char *code = e == -EDQUOT && t->quota_permanent ? "552 5.2.2" : R_TEMP;
		local_result_set(r, code, "Write %s: %s", t->path, strerror(-e));
	} else if (fsync(fd) < 0) {
		e = -errno;
		local_result_set(r, R_TEMP, "Sync %s: %s", t->path, strerror(errno));
	}
	if (e < 0 && ftruncate(fd, old_size) == 0)
		fsync(fd);
}

void mailbox_deliver(const struct mailbox_target *t, const struct mboxfmt *msg,
		     struct local_result *r)
{
	struct mboxlock lock;
	struct stat st, now;
	int dirfd = open_dir(t->dir);
	if (dirfd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			local_result_set(r, R_PERM, "%s: lstat: file changed after open", t->path);
		else
			local_result_set(r, R_TEMP, "%s: %s", t->dir, strerror(errno));
		return;
	}
	int fd = acquire(t, dirfd, r);
	if (fd < 0) {
		close(dirfd);
		return;
	}
	int e = mboxlock_acquire(&lock, dirfd, t->name, fd, t->lock_timeout_ms);
	if (e < 0) {
		local_result_set(r, "451 4.3.0", "lockmailbox %s failed; error code %d ", t->user,
				 EX_TEMPFAIL);
		close(fd);
		close(dirfd);
		return;
	}
	/* the name may have been given to another file while we waited */
	if (fstat(fd, &st) < 0 || fstatat(dirfd, t->name, &now, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !same_file(&st, &now)) {
		local_result_set(r, R_TEMP, "%s: lstat: file changed after open", t->path);
	} else {
		local_result_set(r, "250 2.1.5", "%s Ok", t->user);
		r->offset = (long long)st.st_size;
		append(t, fd, msg, st.st_size, r);
	}
	mboxlock_release(&lock);
	if (close(fd) < 0 && local_result_ok(r))
		local_result_set(r, R_TEMP, "Close %s: %s", t->path, strerror(errno));
	close(dirfd);
}
