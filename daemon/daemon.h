/*
 * daemon: sm-mta's main loop — one process that accepts connections on
 * its listeners and forks one child per SMTP session (sendmail's model:
 * a session's failures, its memory and its privileges stay in its own
 * process), and runs the queue every -q interval in a child of its own.
 * It bounds what clients can make it spend: MaxDaemonChildren (no
 * accepting while that many sessions run), ConnectionRateThrottle
 * (connections per second), and it keeps per client address the counts
 * the cf's ratecontrol/conncontrol rules read: ${client_rate},
 * ${total_rate} (connections in ConnectionRateWindowSize) and
 * ${client_connections}.  systemd's notify protocol: READY=1 once the
 * listeners work, STATUS= with the session count, RELOADING=1/READY=1
 * around SIGHUP (the configuration is read again; a broken one is
 * reported and the running one kept; sockets stay), STOPPING=1 on
 * SIGTERM, after which running sessions may finish (a bounded drain).
 */
#ifndef SDMAIL_DAEMON_DAEMON_H
#define SDMAIL_DAEMON_DAEMON_H

#include <stdbool.h>

struct cf;
struct invocation;
struct listener;
struct log_ctx;

struct daemon_config {
	struct invocation *inv;   /* how sm-mta was called (for reloads) */
	struct listener *listeners;
	int nlisteners;
	bool accept;              /* -bd/-bD: accept connections */
	long long queue_interval; /* -q30m: seconds, 0 none */
	struct log_ctx *log;      /* the sessions' log (LogLevel follows reloads) */
};

/* Run until SIGTERM/SIGINT; `cf` is the configuration already read and
 * is replaced on reloads (freed at the end).  Returns a sysexits code. */
int daemon_run(struct cf *cf, const struct daemon_config *config);

#endif
