/*
 * daemon: the accept loop, sessions handed to session processes
 * (sessionpool.h), queue runs, reloads and shutdown (daemon.h).
 */
#include "daemon.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "cf/cf.h"
#include "cf/options.h"
#include "deliver/deliver.h"
#include "cmdline/args.h"
#include "cmdline/startup.h"
#include "listen.h"
#include "log/events.h"
#include "log/log.h"
#include "maps/map.h"
#include "proctitle.h"
#include "qrun.h"
#include "queue/loadlimit.h"
#include "queue/queue.h"
#include "queuedir.h"
#include "sessionpool.h"
#include "smtp/server.h"
#include "tls/tls.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DRAIN_SECONDS 30   /* how long running sessions may finish on SIGTERM */
#define HISTORY_MAX 8192   /* connections remembered for the rate macros */
#define REFUSE_SECONDS 5   /* RefuseLA: how long connections wait once refused */
/* RefuseLA / DelayLA: their log lines at most this often while the load
 * stays (sendmail 8.17.1, which reads the load anew less often, was seen
 * repeating the RefuseLA line 10 times in 136 seconds) */
#define LOAD_LOG_SECONDS 15

struct recent {
	char addr[64];
	time_t when;
};

/* A listener's load limits: its refuseLA= and delayLA=, else the options */
struct listener_load {
	long long refuse_la, delay_la;
	time_t refuse_until; /* RefuseLA: no connections taken before */
	bool delaying;       /* DelayLA: a second before each connection */
};

struct daemon {
	struct cf *cf;
	const struct daemon_config *config;
	struct tls_context *tls;
	struct session_pool pool;
	struct recent *history; /* ring of recent connections */
	int history_len, history_pos;
	pid_t *runners; /* queue runs going on, at most MaxQueueChildren */
	int nrunners;
	time_t next_run;
	time_t rate_second;
	int rate_count;
	bool stopping;
	int sigfd;
	long queue_count;           /* qf files at the last count, -1 unknown */
	time_t queue_counted;       /* when */
	struct listener_load *load; /* per listener */
	time_t load_logged;         /* the last RefuseLA / DelayLA log line */
};

/* ---- bookkeeping --------------------------------------------------------- */

static void peer_text(const struct sockaddr_storage *ss, char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "";
	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, a, sizeof(a));
		snprintf(out, size, "%s", a);
	} else if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, a, sizeof(a));
		snprintf(out, size, "IPv6:%s", a);
	} else {
		snprintf(out, size, "unknown");
	}
}

static void remember(struct daemon *d, const char *addr, time_t now)
{
	struct recent *r = &d->history[d->history_pos];
	snprintf(r->addr, sizeof(r->addr), "%s", addr);
	r->when = now;
	d->history_pos = (d->history_pos + 1) % HISTORY_MAX;
	if (d->history_len < HISTORY_MAX)
		d->history_len++;
}

/* Connections in the window: from `addr`, and from everybody. */
static void rates(const struct daemon *d, const char *addr, time_t now, int *client, int *total)
{
	long long window = d->cf->opt.num[OPT_ConnectionRateWindowSize];
	*client = *total = 0;
	if (window <= 0)
		window = 60;
	for (int i = 0; i < d->history_len; i++) {
		const struct recent *r = &d->history[i];
		if (now - r->when >= window)
			continue;
		(*total)++;
		if (strcmp(r->addr, addr) == 0)
			(*client)++;
	}
}

/* Was `pid` one of the queue runs?  Then it is one less. */
static bool runner_reaped(struct daemon *d, pid_t pid)
{
	for (int i = 0; i < d->nrunners; i++) {
		if (d->runners[i] == pid) {
			d->runners[i] = d->runners[--d->nrunners];
			return true;
		}
	}
	return false;
}

static void reap(struct daemon *d)
{
	pid_t pid;
	int status;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (!runner_reaped(d, pid))
			pool_reaped(&d->pool, pid);
	}
}

/* Entries in the queue (qf files), counted at most every few seconds. */
static long queue_size(struct daemon *d)
{
	time_t now = time(NULL);
	char *dir;
	DIR *dh;
	struct dirent *de;
	long n = 0;

	if (now - d->queue_counted < 5)
		return d->queue_count;
	d->queue_counted = now;
	dir = queuedir_path(d->cf);
	dh = opendir(dir);
	free(dir);
	if (dh == NULL)
		return d->queue_count = -1;
	while ((de = readdir(dh)) != NULL)
		n += de->d_name[0] == 'q' && de->d_name[1] == 'f';
	closedir(dh);
	return d->queue_count = n;
}

static void notify_status(struct daemon *d)
{
	long queued = queue_size(d);
	int sessions = pool_sessions(&d->pool);
	if (queued >= 0)
		sd_notifyf(0, "STATUS=accepting connections: %d session%s, %ld queued",
			   sessions, sessions == 1 ? "" : "s", queued);
	else
		sd_notifyf(0, "STATUS=accepting connections: %d session%s", sessions,
			   sessions == 1 ? "" : "s");
	proctitle_set("sendmail: accepting connections");
}

/* ---- TLS ----------------------------------------------------------------- */

static struct tls_context *server_tls(struct cf *cf)
{
	struct tls_config tc;
	struct tls_context *ctx = NULL;
	struct strbuf why = STRBUF_INIT;

	tls_config_from_options(&tc, &cf->opt, TLS_ROLE_SERVER);
	if (tc.cert_file == NULL || tc.key_file == NULL)
		return NULL; /* sendmail: "STARTTLS: ServerCertFile missing" */
	if (tls_context_new(&ctx, TLS_ROLE_SERVER, &tc, &why) < 0) {
		fprintf(stderr, "sm-mta: STARTTLS not available: %s\n", sb_str(&why));
		ctx = NULL;
	}
	sb_free(&why);
	return ctx;
}

/* ---- one session, in a child --------------------------------------------- */

static void run_for_etrn(void *arg, struct cf *cf, const char *match, int rfd, int wfd)
{
	qrun_etrn(cf, match, arg, rfd, wfd);
}

/*
 * Deliveries of a session's messages (DeliveryMode i and b).  A message
 * the client follows with QUIT (or by going away) is delivered by the
 * session process itself once the connection is closed, with the
 * connections (ConnectionCacheSize) it keeps from one session to the
 * next; one the client follows with another command goes to the
 * session's delivery process, forked for the first such message and fed
 * queue IDs over a pipe, which keeps its connections from one message to
 * the next.
 */
struct handoff {
	struct log_ctx *log;
	int client_fd;
	int worker_fd;                /* the delivery process's pipe, -1 before it runs */
	struct deliver_cache **cache; /* the session process's, NULL before one */
};

static bool delivers_now(const struct cf *cf)
{
	char mode = (char)cf->opt.num[OPT_DeliveryMode];
	return mode == 'i' || mode == 'b'; /* q and d: the queue runner's */
}

/* The delivery process: one attempt per queue ID read, until EOF. */
static void delivery_worker(struct cf *cf, struct log_ctx *log, int in)
{
	struct deliver_cache *cache = deliver_cache_new(cf);
	FILE *ids = fdopen(in, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	proctitle_set("sendmail: delivering");
	while (ids != NULL && (n = getline(&line, &cap, ids)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		proctitle_set("sendmail: %s: delivering", line);
		qrun_deliver_cached(cf, line, log, cache);
	}
	deliver_cache_close(cache, NULL);
	free(line);
	_exit(0);
}

static int start_worker(struct handoff *h, struct cf *cf)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		close(h->client_fd); /* the client's connection ends with its session */
		delivery_worker(cf, h->log, p[0]);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -errno;
	}
	h->worker_fd = p[1];
	return 0;
}

static void deliver_queued(void *arg, struct cf *cf, const char *id, FILE *transcript)
{
	struct handoff *h = arg;
	char line[QUEUE_ID_MAX + 1];
	int len = snprintf(line, sizeof(line), "%s\n", id);

	if (transcript != NULL) {
		/* VERB: in the session, its transcript to the client */
		qrun_deliver_verbose(cf, id, h->log, transcript, false);
		return;
	}
	if (!delivers_now(cf))
		return;
	if (h->worker_fd < 0 && start_worker(h, cf) != 0)
		return; /* left for the queue runner */
	if (fd_write_all(h->worker_fd, line, (size_t)len) != 0) {
		close(h->worker_fd);
		h->worker_fd = -1;
	}
}

/* The session is over: its last messages are delivered here, after the close. */
static void deliver_after(void *arg, struct cf *cf, char *const *ids, size_t n)
{
	struct handoff *h = arg;

	close(h->client_fd);
	h->client_fd = -1;
	if (!delivers_now(cf))
		return;
	if (h->worker_fd >= 0) {
		/* it holds the connections: its queue runs on */
		for (size_t i = 0; i < n; i++)
			deliver_queued(h, cf, ids[i], NULL);
		return;
	}
	if (*h->cache == NULL)
		*h->cache = deliver_cache_new(cf);
	for (size_t i = 0; i < n; i++) {
		proctitle_set("sendmail: %s: delivering", ids[i]);
		qrun_deliver_cached(cf, ids[i], h->log, *h->cache);
	}
}

/* In a child: the listening sockets are the daemon's alone. */
static void close_listeners(const struct daemon *d)
{
	for (int i = 0; i < d->config->nlisteners; i++)
		close(d->config->listeners[i].fd);
}

/* Once in a new session process: what it must not hold of the daemon. */
static void become_session_process(struct daemon *d)
{
	sigset_t none;

	close_listeners(d);
	close(d->sigfd);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * The session of a daemon with queueLA= or delayLA= in its
 * DaemonPortOptions runs with them in place of QueueLA and DelayLA;
 * `saved` keeps the options' values for the next session.
 */
static void with_daemon_limits(struct cf *cf, const struct daemon_port *p, long long saved[2])
{
	saved[0] = cf->opt.num[OPT_QueueLA];
	saved[1] = cf->opt.num[OPT_DelayLA];
	if (p->queue_la > 0)
		cf->opt.num[OPT_QueueLA] = p->queue_la;
	if (p->delay_la > 0)
		cf->opt.num[OPT_DelayLA] = p->delay_la;
}

static void serve(struct daemon *d, int fd, const struct session_ticket *t,
		  struct deliver_cache **cache)
{
	const struct listener *l = &d->config->listeners[t->listener];
	struct smtp_server_config c = {0};
	struct handoff handoff;
	char client_rate[16], total_rate[16], conns[16];
	const char *macros[8];
	long long saved[2];

	snprintf(client_rate, sizeof(client_rate), "%d", t->client_rate);
	snprintf(total_rate, sizeof(total_rate), "%d", t->total_rate);
	snprintf(conns, sizeof(conns), "%d", t->connections);
	macros[0] = "client_rate";
	macros[1] = client_rate;
	macros[2] = "total_rate";
	macros[3] = total_rate;
	macros[4] = "client_connections";
	macros[5] = conns;
	macros[6] = macros[7] = NULL;
	proctitle_set("sendmail: server [%s] cmd read", t->addr);
	c.rfd = c.wfd = fd;
	c.port = &l->port;
	c.peer = (const struct sockaddr *)&t->peer;
	c.peerlen = t->peerlen;
	c.tls = d->tls;
	c.implicit_tls = daemon_has_modifier(&l->port, 's');
	c.extra_macros = macros;
	c.queued = deliver_queued;
	c.after = deliver_after;
	c.log = d->config->log;
	c.etrn = run_for_etrn;
	c.etrn_arg = d->config->log;
	handoff.log = d->config->log;
	handoff.client_fd = fd;
	handoff.worker_fd = -1;
	handoff.cache = cache;
	c.queued_arg = &handoff;
	with_daemon_limits(d->cf, &l->port, saved);
	(void)smtp_server_session(d->cf, &c);
	d->cf->opt.num[OPT_QueueLA] = saved[0];
	d->cf->opt.num[OPT_DelayLA] = saved[1];
	if (handoff.client_fd >= 0)
		close(handoff.client_fd);
	if (handoff.worker_fd >= 0)
		close(handoff.worker_fd); /* its queue runs out, then it exits */
}

/*
 * What one session leaves in the configuration is not the next one's:
 * maps are opened again (a map rebuilt since is read anew, one that could
 * not be opened is tried again), the status and the message switch are
 * the loaded configuration's.
 */
static void reset_after_session(struct cf *cf, int exit_status, bool show_messages)
{
	map_registry_close_all(cf);
	cf->exit_status = exit_status;
	cf->show_messages = show_messages;
	cf->sink = NULL;
}

/* A session process: one connection after another, until retired. */
static void session_process(void *arg, int ctl, int done_write)
{
	struct daemon *d = arg;
	struct deliver_cache *cache = NULL;
	int exit_status = d->cf->exit_status;
	bool show_messages = d->cf->show_messages;
	struct session_ticket t;
	int fd;

	become_session_process(d);
	for (;;) {
		proctitle_set("sendmail: waiting for a connection");
		while (waitpid(-1, NULL, WNOHANG) > 0)
			; /* the sessions' delivery processes */
		if (pool_next_session(ctl, &fd, &t) != 0)
			break;
		serve(d, fd, &t, &cache);
		reset_after_session(d->cf, exit_status, show_messages);
		pool_session_done(done_write);
	}
	if (cache != NULL)
		deliver_cache_close(cache, NULL);
	_exit(0);
}

/* ConnectionRateThrottle: at most N new connections per second. */
static void throttle(struct daemon *d)
{
	long long max = d->cf->opt.num[OPT_ConnectionRateThrottle];
	time_t now = time(NULL);
	if (now != d->rate_second) {
		d->rate_second = now;
		d->rate_count = 0;
	}
	if (max > 0 && ++d->rate_count > max) {
		sleep(1);
		d->rate_second = time(NULL);
		d->rate_count = 1;
	}
}

/*
 * An IPv4 client of a dual-stack socket (systemd's ListenStream=25) arrives
 * as ::ffff:a.b.c.d; it is an IPv4 client to the rulesets, the access map
 * (Connect:a.b.c.d) and the logs, as with sendmail's separate IPv4 daemon.
 */
static void unmap_ipv4(struct sockaddr_storage *ss, socklen_t *len)
{
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
	struct sockaddr_in in = {.sin_family = AF_INET};

	if (ss->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
		return;
	in.sin_port = in6->sin6_port;
	memcpy(&in.sin_addr, &in6->sin6_addr.s6_addr[12], sizeof(in.sin_addr));
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &in, sizeof(in));
	*len = sizeof(in);
}

static void accept_one(struct daemon *d, const struct listener *l)
{
	struct session_ticket t = {.listener = (int)(l - d->config->listeners),
				   .peerlen = sizeof(t.peer)};
	int fd = accept4(l->fd, (struct sockaddr *)&t.peer, &t.peerlen, SOCK_CLOEXEC);
	int rc;

	if (fd < 0)
		return;
	if (d->load[t.listener].delaying)
		sleep(1); /* DelayLA */
	unmap_ipv4(&t.peer, &t.peerlen);
	throttle(d);
	peer_text(&t.peer, t.addr, sizeof(t.addr));
	remember(d, t.addr, time(NULL));
	rates(d, t.addr, time(NULL), &t.client_rate, &t.total_rate);
	t.connections = pool_sessions_from(&d->pool, t.addr) + 1;
	rc = pool_dispatch(&d->pool, fd, &t, session_process, d);
	close(fd);
	if (rc < 0)
		fprintf(stderr, "sm-mta: no session process for [%s]: %s\n", t.addr,
			strerror(-rc));
	else
		notify_status(d);
}

/* A listener's limit: its own (DaemonPortOptions) when set, else the option's. */
static long long listener_limit(const struct daemon *d, int own, int opt)
{
	return own > 0 ? own : d->cf->opt.num[opt];
}

/*
 * As sendmail 8.17.1 says it: a RefuseLA line for each daemon refusing,
 * the DelayLA line for the first daemon delaying only (seen with the
 * options and with refuseLA= and delayLA= of one daemon); the title
 * follows the last daemon (one that still accepts leaves it alone).
 */
static void load_says(struct daemon *d, int la)
{
	const struct listener *l = d->config->listeners;
	int n = d->config->nlisteners, last = n - 1;
	bool delay_said = false;
	time_t now = time(NULL);

	if (d->load_logged != 0 && now < d->load_logged + LOAD_LOG_SECONDS)
		return;
	d->load_logged = now;
	for (int i = 0; i < n; i++) {
		const struct listener_load *ll = &d->load[i];
		if (now < ll->refuse_until) {
			log_load_limit(d->config->log, true, l[i].port.name, la, ll->refuse_la);
		} else if (ll->delaying && !delay_said) {
			log_load_limit(d->config->log, false, l[i].port.name, la, ll->delay_la);
			delay_said = true;
		}
	}
	if (now < d->load[last].refuse_until)
		proctitle_set("sendmail: rejecting connections on daemon %s: load average: %d",
		              l[last].port.name, la);
	else if (d->load[last].delaying)
		proctitle_set(
		    "sendmail: delaying connections on daemon %s: load average=%d >= %lld",
		    l[last].port.name, la, d->load[last].delay_la);
}

/*
 * RefuseLA: at that load sendmail closes a daemon's listening socket for
 * five seconds; systemd's sockets stay open here and the backlog waits,
 * as at MaxDaemonChildren.  DelayLA: a second's pause before each
 * connection the daemon takes.  Each daemon by its own refuseLA= and
 * delayLA= where DaemonPortOptions set them.  Returns how many listeners
 * refuse now.
 */
static int load_refuses(struct daemon *d)
{
	int n = d->config->nlisteners, refusing = 0, limited = 0, la = 0;
	time_t now = time(NULL);
	bool changed = false, delaying = false;

	for (int i = 0; i < n; i++) {
		const struct daemon_port *p = &d->config->listeners[i].port;
		struct listener_load *ll = &d->load[i];
		ll->refuse_la = listener_limit(d, p->refuse_la, OPT_RefuseLA);
		ll->delay_la = listener_limit(d, p->delay_la, OPT_DelayLA);
		limited += (ll->refuse_la > 0 || ll->delay_la > 0) && now >= ll->refuse_until;
	}
	if (limited > 0)
		la = load_average();
	for (int i = 0; i < n; i++) {
		struct listener_load *ll = &d->load[i];
		bool was = ll->delaying;
		if (now < ll->refuse_until) {
			refusing++;
			continue;
		}
		ll->delaying = ll->delay_la > 0 && la >= ll->delay_la;
		if (ll->refuse_la > 0 && la >= ll->refuse_la) {
			ll->refuse_until = now + REFUSE_SECONDS;
			ll->delaying = false;
			refusing++;
			changed = true;
		}
		changed |= ll->delaying && !was;
		delaying |= ll->delaying;
	}
	if (changed || delaying) {
		load_says(d, la);
	} else if (refusing == 0 && d->load_logged != 0) {
		d->load_logged = 0; /* back to normal: the next rise is logged at once */
		notify_status(d);
	}
	return refusing;
}

/* ---- queue runs ---------------------------------------------------------- */

/*
 * Every -q interval a queue run in a process of its own, while the ones
 * before it may still be going on (they pass over the entries the others
 * hold).  MaxQueueChildren: at that many runs going on, the interval's
 * run is skipped, without a word, as sendmail 8.17.1 does.  One run is
 * one runner: with the one queue directory of "mqueue" sendmail too forks
 * a single process per run whatever MaxRunnersPerQueue says (seen with
 * MaxRunnersPerQueue=3), so that option limits nothing more here.
 */
static void maybe_run_queue(struct daemon *d)
{
	long long max = d->cf->opt.num[OPT_MaxQueueChildren];
	time_t now = time(NULL);
	pid_t pid;

	if (d->config->queue_interval <= 0 || now < d->next_run)
		return;
	d->next_run = now + d->config->queue_interval;
	if (max > 0 && d->nrunners >= max)
		return;
	pid = fork();
	if (pid == 0) {
		close_listeners(d);
		pool_child_cleanup(&d->pool);
		proctitle_set("sendmail: running queue");
		_exit(qrun_once(d->cf, d->config->inv, d->config->log) == 0 ? 0 : 1);
	}
	if (pid > 0) {
		d->runners = xrealloc(d->runners, ((size_t)d->nrunners + 1) * sizeof(pid_t));
		d->runners[d->nrunners++] = pid;
	}
}

/* ---- reload and shutdown ------------------------------------------------- */

static void reload(struct daemon *d)
{
	struct cf *fresh = cf_new(stderr);
	int rc;

	sd_notify(0, "RELOADING=1");
	fresh->dbg = d->cf->dbg;
	fresh->op_mode = d->cf->op_mode;
	rc = startup_load(fresh, d->config->inv, NULL);
	if (rc != 0 || fresh->config_errors > 0) {
		fprintf(stderr, "sm-mta: the new configuration has errors (status %d); "
				"keeping the running one\n", rc ? rc : fresh->exit_status);
		cf_free(fresh);
	} else {
		pool_retire_all(&d->pool); /* new sessions get new processes */
		cf_free(d->cf);
		d->cf = fresh;
		if (d->config->log != NULL)
			d->config->log->level = (long)d->cf->opt.num[OPT_LogLevel];
		if (d->tls != NULL)
			tls_context_free(d->tls);
		d->tls = server_tls(d->cf);
	}
	sd_notify(0, "READY=1");
	notify_status(d);
}

static void drain(struct daemon *d)
{
	time_t until = time(NULL) + DRAIN_SECONDS;

	sd_notify(0, "STOPPING=1");
	close_listeners(d);
	pool_retire_all(&d->pool);
	for (int left; (left = pool_sessions(&d->pool)) > 0 && time(NULL) < until;) {
		sd_notifyf(0, "STATUS=stopping: %d session%s left", left, left == 1 ? "" : "s");
		usleep(100 * 1000);
		pool_collect(&d->pool, time(NULL));
		reap(d);
	}
	pool_kill(&d->pool, SIGTERM);
	for (int i = 0; i < d->nrunners; i++)
		kill(d->runners[i], SIGTERM);
}

static int signals_setup(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void handle_signals(struct daemon *d)
{
	struct signalfd_siginfo si;
	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			reap(d);
			notify_status(d);
		} else if (si.ssi_signo == SIGHUP) {
			reload(d);
		} else {
			d->stopping = true;
		}
	}
}

/*
 * Every session looks up users (the rulesets, local senders): load the
 * name service modules once here, so that the sessions inherit them
 * instead of each loading them again.  A name no user has goes through
 * all the sources of passwd in nsswitch.conf.
 */
static void load_name_services(void)
{
	(void)getpwnam("-sm-mta-");
	endpwent();
}

int daemon_run(struct cf *cf, const struct daemon_config *config)
{
	struct daemon d = {0};
	int n = config->nlisteners;
	struct pollfd *pfd = xcalloc((size_t)n + 2, sizeof(*pfd));

	d.cf = cf;
	d.config = config;
	d.history = xcalloc(HISTORY_MAX, sizeof(*d.history));
	d.load = xcalloc((size_t)n, sizeof(*d.load));
	d.sigfd = signals_setup();
	if (pool_init(&d.pool) != 0) {
		fprintf(stderr, "sm-mta: cannot set up session processes: %s\n", strerror(errno));
		return EX_OSERR;
	}
	d.tls = config->accept ? server_tls(cf) : NULL;
	d.next_run = time(NULL);
	if (config->accept)
		load_name_services();
	sd_notify(0, "READY=1");
	notify_status(&d);
	while (!d.stopping) {
		long long max = d.cf->opt.num[OPT_MaxDaemonChildren];
		bool full = max > 0 && pool_sessions(&d.pool) >= max;
		bool refusing = config->accept && load_refuses(&d) > 0;
		/* idle session processes are retired after a while */
		int timeout =
		    config->queue_interval > 0 || pool_has_idle(&d.pool) || refusing ? 1000 : -1;

		pfd[0].fd = d.sigfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = d.pool.done_read;
		pfd[1].events = POLLIN;
		for (int i = 0; i < n; i++) {
			/* at MaxDaemonChildren the backlog waits, as in sendmail */
			pfd[i + 2].fd = config->accept && !full && time(NULL) >= d.load[i].refuse_until
			                    ? config->listeners[i].fd
			                    : -1;
			pfd[i + 2].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)n + 2, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			handle_signals(&d);
		/* finished sessions first: their processes take the new ones */
		if (pfd[1].revents & POLLIN)
			pool_collect(&d.pool, time(NULL));
		for (int i = 0; i < n && !d.stopping; i++)
			if (pfd[i + 2].revents & POLLIN)
				accept_one(&d, &config->listeners[i]);
		pool_expire_idle(&d.pool, time(NULL));
		maybe_run_queue(&d);
	}
	drain(&d);
	if (d.tls != NULL)
		tls_context_free(d.tls);
	pool_free(&d.pool);
	free(d.history);
	free(d.load);
	free(d.runners);
	free(pfd);
	close(d.sigfd);
	cf_free(d.cf);
	return 0;
}
