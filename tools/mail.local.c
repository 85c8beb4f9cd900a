/*
 * mail.local: store mail in local mailboxes, a drop-in for the mail.local
 * of Debian's sendmail 8.17.1 (options, mbox format with Content-Length,
 * locking, messages, exit statuses, LMTP mode).  With users on the command
 * line the message comes on standard input and each user's result is one
 * stderr (and syslog) line; with -l the MTA speaks LMTP on standard input
 * and output.  The message is spooled once (mboxfmt); every delivery then
 * runs in a child with the recipient's rights (asuser, mailbox).  What
 * differs from sendmail's, and why, is in mail.local(8), COMPATIBILITY.
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "local/asuser.h"
#include "local/lmtp.h"
#include "local/localuser.h"
#include "local/mailbox.h"
#include "local/mboxfmt.h"
#include "util/xalloc.h"

struct options {
	bool lmtp;          /* -l */
	bool eightbit;      /* not -7 */
	const char *sender; /* -f, -r */
	struct local_opts local;
};

_Noreturn static void usage(void)
{
	static const char text[] = "usage: mail.local [-7] [-b] [-d] [-l] [-f from|-r from] "
				   "[-h filename] user ...";
	fprintf(stderr, "mail.local: %s\n", text);
	syslog(LOG_ERR, "%s", text);
	exit(EX_UNAVAILABLE);
}

/* One error line, on stderr and in the log, as mail.local writes them. */
static void report(const char *text)
{
	fprintf(stderr, "mail.local: %s\n", text);
	syslog(LOG_ERR, "%s", text);
}

static void parse(int argc, char **argv, struct options *o)
{
	int c;
	while ((c = getopt(argc, argv, "7bdD:f:h:lr:V")) != -1) {
		switch (c) {
		case '7':
			o->eightbit = false;
			break;
		case 'b':
			o->local.quota_permanent = true;
			break;
		case 'd':
			break;
		case 'D':
			if (strcmp(optarg, "pw") != 0) {
				fprintf(stderr, "mail.local: Can not open mailbox database %s: %s\n",
					optarg, "Service unavailable");
				syslog(LOG_ERR, "Can not open mailbox database %s: %s", optarg,
				       "Service unavailable");
				exit(EX_UNAVAILABLE);
			}
			break;
		case 'f':
		case 'r':
			if (o->sender != NULL) {
				report("Multiple -f options");
				usage();
			}
			o->sender = optarg;
			break;
		case 'h':
			o->local.home_file = optarg;
			break;
		case 'l':
			o->lmtp = true;
			break;
		case 'V':
			fputs("compiled with\n", stderr);
			break;
		default:
			usage();
		}
	}
}

/* The invoking user's login name, the sender when there is no -f: a new string. */
static char *invoking_user(void)
{
	struct passwd *pw = getpwuid(getuid());
	return xstrdup(pw && pw->pw_name ? pw->pw_name : "???");
}

static int spool_stdin(struct mboxfmt *f, const char *sender)
{
	char buf[65536];
	int spool = localuser_spool_open();
	if (spool < 0) {
		report("Unable to open temporary file");
		return -1;
	}
	mboxfmt_begin(f, spool, sender, time(NULL));
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			report("Temporary file write error");
			return -1;
		}
		if (n == 0)
			break;
		mboxfmt_feed(f, buf, (size_t)n);
	}
	if (mboxfmt_finish(f) < 0) {
		report("Temporary file write error");
		return -1;
	}
	return 0;
}

static int deliver_arguments(struct options *o, char **users, int n)
{
	static struct mboxfmt msg;
	struct local_result r;
	int status = 0;
	char *caller = o->sender ? NULL : invoking_user();
	int e = spool_stdin(&msg, o->sender ? o->sender : caller);
	free(caller);
	if (e < 0)
		return EX_TEMPFAIL;
	for (int i = 0; i < n; i++) {
		localuser_deliver(&o->local, users[i], &msg, &r);
		if (local_result_ok(&r))
			continue;
		report(r.text);
		int s = local_result_exit(&r);
		if (status != EX_TEMPFAIL)
			status = s;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct local_privs privs;
	struct options o = {.eightbit = true};
	char host[256] = "localhost";
	openlog("mail.local", 0, LOG_MAIL);
	signal(SIGPIPE, SIG_IGN);
	umask(077);
	o.local.privs = &privs;
	o.local.spool_dir = LOCAL_SPOOL_DIR;
	o.local.lock_timeout_ms = LOCAL_LOCK_TIMEOUT_MS;
	parse(argc, argv, &o);
	if (o.lmtp && optind < argc) {
		fputs("421 Users should not be specified in command line if LMTP required\r\n",
		      stdout);
		return EX_TEMPFAIL;
	}
	if (!o.lmtp && optind == argc)
		usage();
	int e = local_privs_init(&privs);
	if (e < 0) {
		fprintf(stderr, "mail.local: cannot set up privileges: %s\n", strerror(-e));
		return EX_OSERR;
	}
	if (!o.lmtp)
		return deliver_arguments(&o, argv + optind, argc - optind);
	gethostname(host, sizeof(host) - 1);
	struct lmtp_config cfg = {.local = &o.local, .hostname = host, .eightbit = o.eightbit};
	lmtp_serve(&cfg);
	return 0;
}
