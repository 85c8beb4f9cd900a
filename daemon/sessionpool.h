/*
 * sessionpool: the processes that serve sm-mta's SMTP connections.  The
 * daemon accepts a connection and hands it (the socket, over a UNIX socket
 * pair, with what it knows of the client) to an idle session process, or
 * forks a new one when none is idle.  A session process serves one
 * connection after another: forking, faulting in and tearing down a
 * process per connection was most of the CPU time of a short session, and
 * a process that lives on keeps its connections to the next hop for the
 * next session's deliveries.  The daemon retires a process after
 * POOL_MAX_SESSIONS sessions, after POOL_IDLE_SECONDS without one, and on
 * a reload (new sessions must see the new configuration); the process
 * finishes the session it has, then exits when it reads the end of its
 * socket.  The pool counts the busy processes: MaxDaemonChildren and
 * ${client_connections} count sessions, as in sendmail.
 */
#ifndef SDMAIL_DAEMON_SESSIONPOOL_H
#define SDMAIL_DAEMON_SESSIONPOOL_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#define POOL_MAX_SESSIONS 100
#define POOL_IDLE_SECONDS 60

/* What the daemon tells a session process with a connection. */
struct session_ticket {
	int listener; /* index into the daemon's listeners */
	socklen_t peerlen;
	struct sockaddr_storage peer;
	char addr[64]; /* the client as the logs and the rate macros name it */
	int client_rate, total_rate, connections;
};

struct pool_worker {
	pid_t pid;
	int ctl; /* the daemon's end of the socket pair; -1 once retired */
	bool busy;
	int served;
	time_t idle_since;
	char addr[64]; /* the client of the session it serves */
};

struct session_pool {
	struct pool_worker *w;
	int n, cap;
	int done_read;  /* the daemon reads finished sessions' pids here */
	int done_write; /* where session processes write their pid */
};

/* In the daemon. */
int pool_init(struct session_pool *p);
void pool_free(struct session_pool *p);

/*
 * The function a new session process runs with its end of the socket
 * pair; it must not return.  Called in the child after pool_child_cleanup
 * of the daemon's ends.
 */
typedef void (*pool_worker_main)(void *arg, int ctl, int done_write);

/* Hand the connection `fd` to an idle process, or to a new one.  The daemon
 * keeps its copy of `fd`: the caller closes it.  0 or -errno. */
int pool_dispatch(struct session_pool *p, int fd, const struct session_ticket *t,
		  pool_worker_main run, void *arg);
int pool_sessions(const struct session_pool *p);
int pool_sessions_from(const struct session_pool *p, const char *addr);
bool pool_has_idle(const struct session_pool *p);
/* Read the finished sessions (done_read is readable). */
void pool_collect(struct session_pool *p, time_t now);
/* A child exited: forget it if it was a session process. */
bool pool_reaped(struct session_pool *p, pid_t pid);
/* Retire the processes idle for POOL_IDLE_SECONDS. */
void pool_expire_idle(struct session_pool *p, time_t now);
/* Reload, shutdown: no process gets another session. */
void pool_retire_all(struct session_pool *p);
/* Send `sig` to every session process. */
void pool_kill(const struct session_pool *p, int sig);

/* In any child of the daemon: close the daemon's ends. */
void pool_child_cleanup(const struct session_pool *p);

/* In a session process.  The next connection: 0, or -ENODATA when the
 * daemon retired it (or went away), or another -errno. */
int pool_next_session(int ctl, int *fd, struct session_ticket *t);
/* The session is over: the process is ready for the next one. */
void pool_session_done(int done_write);

#endif
