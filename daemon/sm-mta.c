/*
 * sm-mta: sdmail's MTA daemon — the process systemd starts for the SMTP
 * ports (and what `sendmail -bd` hands over to).  It reads sendmail.cf
 * with the sendmail command's start-up sequence, takes its listening
 * sockets (listen.h) while it may still bind privileged ports, gives up
 * root for the daemon user (RunAsUser, else the build's daemon user) and
 * runs the accept loop and queue runs (daemon.h).  `-bd` by hand goes to
 * the background and writes sendmail's PID file; `-bD` and runs under
 * systemd stay in the foreground.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/options.h"
#include "cmdline/args.h"
#include "cmdline/startup.h"
#include "daemon.h"
#include "listen.h"
#include "log/log.h"
#include "proctitle.h"
#include "util/strbuf.h"
#include "version.h"

static int usage_error(const char *what)
{
	fprintf(stderr, "sm-mta: %s\n", what);
	return EX_USAGE;
}

/* The user RunAsUser names ("user", "user:group", "uid:gid"), or the
 * build's daemon user. */
static int daemon_identity(struct cf *cf, uid_t *uid, gid_t *gid)
{
	const char *ru = cf->opt.str[OPT_RunAsUser];
	char name[256];
	char *colon;
	struct passwd *pw;

	snprintf(name, sizeof(name), "%s", ru && *ru ? ru : SDMAIL_DAEMON_USER);
	colon = strchr(name, ':');
	if (colon != NULL)
		*colon++ = '\0';
	pw = getpwnam(name);
	if (pw != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else if (name[0] >= '0' && name[0] <= '9') {
		*uid = (uid_t)strtoul(name, NULL, 10);
		*gid = *uid;
	} else {
		fprintf(stderr, "sm-mta: the daemon user \"%s\" does not exist\n", name);
		return EX_NOUSER;
	}
	if (colon != NULL && *colon) {
		struct group *gr = getgrnam(colon);
		*gid = gr ? gr->gr_gid : (gid_t)strtoul(colon, NULL, 10);
	}
	return 0;
}

/* Root gives up everything here; anybody else already runs as itself. */
static int drop_root(struct cf *cf)
{
	uid_t uid;
	gid_t gid;
	int rc;

	if (geteuid() != 0)
		return 0;
	rc = daemon_identity(cf, &uid, &gid);
	if (rc != 0)
		return rc;
	if (uid == 0) {
		fputs("sm-mta: refusing to run as root: set RunAsUser to the daemon user\n",
		      stderr);
		return EX_CONFIG;
	}
	if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0) {
		fprintf(stderr, "sm-mta: cannot become uid %u gid %u: %s\n", (unsigned)uid,
			(unsigned)gid, strerror(errno));
		return EX_OSERR;
	}
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	return 0;
}

/* sendmail's PID file: the process id, then the command line. */
static void write_pid_file(struct cf *cf, int argc, char **argv)
{
	const char *pf = cf->opt.str[OPT_PidFile];
	struct strbuf path = STRBUF_INIT;
	FILE *f;

	if (pf == NULL || *pf == '\0')
		return;
	macro_expand(cf, &cf->macros, pf, &path);
	f = fopen(sb_str(&path), "we");
	if (f == NULL) {
		fprintf(stderr, "sm-mta: cannot write the PID file %s: %s\n", sb_str(&path),
			strerror(errno));
	} else {
		fprintf(f, "%ld\n", (long)getpid());
		for (int i = 0; i < argc; i++)
			fprintf(f, "%s%s", i ? " " : "", argv[i]);
		fputc('\n', f);
		fclose(f);
	}
	sb_free(&path);
}

/* -bd by hand: into the background, away from the terminal. */
static int detach(void)
{
	pid_t pid = fork();
	int null;

	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	setsid();
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		close(null);
	}
	return 0;
}

static bool managed_by_systemd(void)
{
	return getenv("NOTIFY_SOCKET") != NULL || getenv("LISTEN_FDS") != NULL ||
	       getenv("INVOCATION_ID") != NULL;
}

int main(int argc, char **argv)
{
	struct invocation inv;
	struct debug_flags dbg = {0};
	struct daemon_config dc = {0};
	struct log_ctx lc;
	struct cf *cf;
	char **args_copy;
	int rc;

	/* the PID file wants the command line as given, before the title
	 * takes its place */
	args_copy = calloc((size_t)argc + 1, sizeof(char *));
	if (args_copy == NULL)
		return EX_OSERR;
	for (int i = 0; i < argc; i++)
		args_copy[i] = strdup(argv[i]);
	proctitle_init(argc, argv);
	rc = args_parse(argc, argv, &inv, &dbg);
	if (rc != 0)
		return rc;
	if (inv.mode != 'd' && inv.mode != 'D' && !(inv.mode == 'm' && inv.q.interval > 0))
		return usage_error("runs the daemon only: -bd, -bD or -q<interval> "
				   "(everything else is the sendmail command's)");
	cf = cf_new(stderr);
	cf->dbg = dbg;
	cf->op_mode = inv.mode == 'm' ? 'q' : inv.mode;
	rc = startup_load(cf, &inv, NULL);
	if (rc == 0 && cf->config_errors > 0)
		rc = EX_CONFIG;
	if (rc != 0) {
		cf_free(cf);
		return rc;
	}
	/* by hand, without a journal, the lines go to standard error */
	log_init(&lc, inv.log_tag, (long)cf->opt.num[OPT_LogLevel], LOG_FALLBACK_STDERR, NULL);
	dc.log = &lc;
	dc.inv = &inv;
	dc.accept = inv.mode != 'm';
	dc.queue_interval = inv.q.interval;
	if (dc.accept) {
		dc.nlisteners = listeners_open(cf, &dc.listeners);
		if (dc.nlisteners < 0) {
			fputs("sm-mta: no socket to listen on\n", stderr);
			cf_free(cf);
			return EX_OSERR;
		}
	}
	if (inv.mode == 'd' && !managed_by_systemd()) {
		if (detach() != 0)
			return EX_OSERR;
		write_pid_file(cf, argc, args_copy);
	}
	rc = drop_root(cf);
	if (rc != 0) {
		cf_free(cf);
		return rc;
	}
	rc = daemon_run(cf, &dc);
	if (dc.listeners != NULL)
		listeners_close(dc.listeners, dc.nlisteners);
	args_free(&inv);
	for (int i = 0; i < argc; i++)
		free(args_copy[i]);
	free(args_copy);
	return rc;
}
