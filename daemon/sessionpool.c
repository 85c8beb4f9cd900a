/*
 * sessionpool: the processes that serve sm-mta's SMTP connections, handed
 * one connection after another (sessionpool.h).
 */
#include "sessionpool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/xalloc.h"

int pool_init(struct session_pool *p)
{
	int fds[2];

	memset(p, 0, sizeof(*p));
	p->done_read = p->done_write = -1;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -errno;
	/* the daemon drains it in its loop; a pid is one atomic write */
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	p->done_read = fds[0];
	p->done_write = fds[1];
	return 0;
}

static void retire(struct pool_worker *w)
{
	if (w->ctl >= 0)
		close(w->ctl);
	w->ctl = -1;
}

void pool_free(struct session_pool *p)
{
	for (int i = 0; i < p->n; i++)
		retire(&p->w[i]);
	free(p->w);
	if (p->done_read >= 0)
		close(p->done_read);
	if (p->done_write >= 0)
		close(p->done_write);
	memset(p, 0, sizeof(*p));
	p->done_read = p->done_write = -1;
}

void pool_child_cleanup(const struct session_pool *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->w[i].ctl >= 0)
			close(p->w[i].ctl);
	if (p->done_read >= 0)
		close(p->done_read);
}

static struct pool_worker *spawn(struct session_pool *p, pool_worker_main run, void *arg)
{
	int sv[2];
	pid_t pid;
	struct pool_worker *w;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return NULL;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		pool_child_cleanup(p);
		run(arg, sv[1], p->done_write);
		_exit(1);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return NULL;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->w = xrealloc(p->w, (size_t)p->cap * sizeof(*p->w));
	}
	w = &p->w[p->n++];
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->ctl = sv[0];
	return w;
}

static int send_session(struct pool_worker *w, int fd, const struct session_ticket *t)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = (void *)t, .iov_len = sizeof(*t)};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control,
			     .msg_controllen = sizeof(control)};
	struct cmsghdr *c;

	memset(control, 0, sizeof(control));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(w->ctl, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof(*t))
		return -errno;
	return 0;
}

/* A process waiting for its next session, or NULL. */
static struct pool_worker *idle_worker(const struct session_pool *p)
{
	for (int i = 0; i < p->n; i++)
		if (!p->w[i].busy && p->w[i].ctl >= 0)
			return &p->w[i];
	return NULL;
}

int pool_dispatch(struct session_pool *p, int fd, const struct session_ticket *t,
		  pool_worker_main run, void *arg)
{
	/* an idle process may have died since: it is retired, the next tried */
	for (int tries = 0; tries < 4; tries++) {
		struct pool_worker *w = idle_worker(p);
		if (w == NULL && (w = spawn(p, run, arg)) == NULL)
			return -errno;
		if (send_session(w, fd, t) == 0) {
			w->busy = true;
			w->served++;
			snprintf(w->addr, sizeof(w->addr), "%s", t->addr);
			return 0;
		}
		retire(w);
	}
	return -EPIPE;
}

int pool_sessions(const struct session_pool *p)
{
	int n = 0;
	for (int i = 0; i < p->n; i++)
		n += p->w[i].busy;
	return n;
}

int pool_sessions_from(const struct session_pool *p, const char *addr)
{
	int n = 0;
	for (int i = 0; i < p->n; i++)
		n += p->w[i].busy && strcmp(p->w[i].addr, addr) == 0;
	return n;
}

bool pool_has_idle(const struct session_pool *p)
{
	return idle_worker(p) != NULL;
}

static struct pool_worker *find(struct session_pool *p, pid_t pid)
{
	for (int i = 0; i < p->n; i++)
		if (p->w[i].pid == pid)
			return &p->w[i];
	return NULL;
}

void pool_collect(struct session_pool *p, time_t now)
{
	pid_t pids[64];
	ssize_t got;

	while ((got = read(p->done_read, pids, sizeof(pids))) > 0) {
		for (size_t i = 0; i < (size_t)got / sizeof(pid_t); i++) {
			struct pool_worker *w = find(p, pids[i]);
			if (w == NULL)
				continue;
			w->busy = false;
			w->addr[0] = '\0';
			w->idle_since = now;
			if (w->served >= POOL_MAX_SESSIONS)
				retire(w);
		}
	}
}

bool pool_reaped(struct session_pool *p, pid_t pid)
{
	struct pool_worker *w = find(p, pid);
	if (w == NULL)
		return false;
	retire(w);
	*w = p->w[--p->n];
	return true;
}

void pool_expire_idle(struct session_pool *p, time_t now)
{
	for (int i = 0; i < p->n; i++)
		if (!p->w[i].busy && now - p->w[i].idle_since >= POOL_IDLE_SECONDS)
			retire(&p->w[i]);
}

void pool_retire_all(struct session_pool *p)
{
	for (int i = 0; i < p->n; i++)
		retire(&p->w[i]);
}

void pool_kill(const struct session_pool *p, int sig)
{
	for (int i = 0; i < p->n; i++)
		kill(p->w[i].pid, sig);
}

int pool_next_session(int ctl, int *fd, struct session_ticket *t)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = t, .iov_len = sizeof(*t)};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control,
			     .msg_controllen = sizeof(control)};
	ssize_t got;
	struct cmsghdr *c;

	do
		got = recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -errno;
	if (got == 0)
		return -ENODATA;
	c = CMSG_FIRSTHDR(&msg);
	if (got != (ssize_t)sizeof(*t) || c == NULL || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EPROTO;
	memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

void pool_session_done(int done_write)
{
	pid_t self = getpid();
	ssize_t rc;

	do
		rc = write(done_write, &self, sizeof(self));
	while (rc < 0 && errno == EINTR);
}
