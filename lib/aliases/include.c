/*
 * include: :include: and .forward files (include.h).
 */
#include "aliases/include.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cf/options.h"

static const char *unsafe(struct cf *cf, const struct stat *st, enum include_kind kind, uid_t owner)
{
	if (!S_ISREG(st->st_mode))
		return "Not a regular file";
	if (kind == INCLUDE_LIST) {
		if (st->st_mode & S_IWOTH)
			return "World writable file";
		if ((st->st_mode & S_IWGRP) && !option_dont_blame(cf, "groupwritableincludefile") &&
		    !option_dont_blame(cf, "groupwritableincludefilesafe"))
			return "Group writable file";
		return NULL;
	}
	if (st->st_uid != owner && st->st_uid != 0)
		return "Bad file owner";
	if ((st->st_mode & S_IWOTH) && !option_dont_blame(cf, "worldwritableforwardfile"))
		return "World writable file";
	if ((st->st_mode & S_IWGRP) && !option_dont_blame(cf, "groupwritableforwardfile") &&
	    !option_dont_blame(cf, "groupwritableforwardfilesafe"))
		return "Group writable file";
	return NULL;
}

#define OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/* In the child: the descriptor, or the errno of the failed open. */
static void send_fd(int sock, int fd, int err)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {&err, sizeof(err)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (fd >= 0) {
		struct cmsghdr *c;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	(void)sendmsg(sock, &mh, MSG_NOSIGNAL);
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	int err = EACCES, fd = -1;
	struct iovec iov = {&err, sizeof(err)};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(err))
		return -EACCES;
	c = CMSG_FIRSTHDR(&mh);
	if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd >= 0 ? fd : -err;
}

/*
 * A user's .forward in a home the daemon user may not search: opened by a
 * child that becomes the user (sm-mta holds CAP_SETUID/CAP_SETGID), as
 * sendmail reads it with the user's rights; only the descriptor comes back.
 */
static int open_as(const char *path, uid_t uid)
{
	const struct passwd *pw = getpwuid(uid);
	int sv[2], fd, st;
	pid_t pid;

	if (pw == NULL || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -EACCES;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		if (setgroups(1, &pw->pw_gid) != 0 ||
		    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0 ||
		    setresuid(uid, uid, uid) != 0)
			_exit(1);
		fd = open(path, OPEN_FLAGS);
		send_fd(sv[1], fd, fd < 0 ? errno : 0);
		_exit(0);
	}
	close(sv[1]);
	fd = pid < 0 ? -EACCES : recv_fd(sv[0]);
	close(sv[0]);
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	return fd;
}

FILE *include_open(struct cf *cf, const char *path, enum include_kind kind, uid_t owner,
                   const char **why)
{
	struct stat st;
	FILE *f;
	/* no blocking on a FIFO, no following into something else later */
	int fd = open(path, OPEN_FLAGS);

	/* never as root: root's .forward is read only where the daemon user can */
	if (fd < 0 && errno == EACCES && kind == INCLUDE_FORWARD && owner != 0 &&
	    geteuid() != owner) {
		fd = open_as(path, owner);
		if (fd < 0)
			errno = -fd;
	}
	if (fd < 0) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	*why = unsafe(cf, &st, kind, owner);
	if (*why != NULL) {
		close(fd);
		errno = EPERM;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (f == NULL) {
		*why = strerror(errno);
		close(fd);
	}
	return f;
}

int include_read(struct cf *cf, FILE *f, const char *path, int (*fn)(void *arg, const char *line),
                 void *arg)
{
	const char *saved_file = cf->input_file;
	int saved_line = cf->input_line;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int line = 0, total = 0;

	cf->input_file = path;
	while ((n = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (buf[0] == '\0' || buf[0] == '#')
			continue;
		cf->input_line = line;
		total += fn(arg, buf);
	}
	free(buf);
	fclose(f);
	cf->input_file = saved_file;
	cf->input_line = saved_line;
	return total;
}
