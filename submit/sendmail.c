/*
 * sendmail: the `sendmail` command — argument parsing in sendmail's POSIX
 * style (options end at the first non-option), argv[0] personalities,
 * choosing the configuration file by mode (-C, -Ac, -Am), the -d debug
 * output of the start-up, the privilege rules of a setgid run (privs.h),
 * and dispatching to the modes: address test mode (-bt), verification
 * (-bv), submission (-bm, submit.h), the queue listing (-bp and mailq,
 * listq.h), queue runs (-q, qrun.h), SMTP on standard input (-bs) and
 * rebuilding the aliases (-bi and newaliases, aliasdb.h); -bd/-bD hand
 * over to sm-mta.  Modes sdmail does not have (-ba, -bP, -bC) report that
 * they are unavailable with EX_UNAVAILABLE.
 */
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/hostid.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/options.h"
#include "cf/readcf.h"
#include "aliases/aliasdb.h"
#include "cmdline/args.h"
#include "cmdline/startup.h"
#include "listq.h"
#include "log/log.h"
#include "poke.h"
#include "privs.h"
#include "qrun.h"
#include "queuedir.h"
#include "submit.h"
#include "smtp/server.h"
#include "deliver/hoststat.h"
#include "testmode/testmode.h"
#include "testmode/verify.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "version.h"

static const char *progname = "sendmail";

/*
 * Give up the setgid group when the caller asks for what sendmail only
 * lets trusted users do: another configuration, a transcript file, macro
 * definitions or an option off the safe list.
 */
static void drop_privileges_if_asked(struct cf *cf, const struct invocation *inv, void *arg)
{
	struct privs *pv = arg;
	bool unsafe = (inv->cf_file != NULL || inv->xscript != NULL || inv->nmacros > 0);
	const char *p = inv->options.s;

	for (int i = 0; i < inv->noptions && !unsafe; i++) {
		unsafe = !option_line_is_safe(p);
		p += strlen(p) + 1;
	}
	if (unsafe && pv->ruid != 0 && privs_drop(pv) != 0) {
		fputs("sendmail: cannot give up the setgid privilege\n", cf->out);
		exit(EX_OSERR);
	}
}

/* sendmail's warning when an MSP configuration cannot get its group. */
static void warn_run_as_user(struct cf *cf, const struct invocation *inv, void *arg)
{
	const struct privs *pv = arg;
	const char *ru = cf->opt.str[OPT_RunAsUser];
	char name[256];
	struct passwd *pw;
	long want;

	(void)inv;
	if (ru == NULL || *ru == '\0' || pv->ruid == 0)
		return;
	snprintf(name, sizeof(name), "%s", ru);
	name[strcspn(name, ":")] = '\0';
	pw = getpwnam(name);
	if (pw != NULL)
		want = (long)pw->pw_gid;
	else if (strchr(ru, ':') != NULL)
		want = strtol(strchr(ru, ':') + 1, NULL, 10);
	else
		return;
	if ((long)getegid() != want)
		fprintf(
		    cf->out,
		    "WARNING: RunAsUser for MSP ignored, check group ids (egid=%ld, want=%ld)\n",
		    (long)getegid(), want);
}

static void deliver_queued(void *arg, struct cf *cf, const char *id, FILE *transcript)
{
	char mode = (char)cf->opt.num[OPT_DeliveryMode];
	if (transcript != NULL)
		qrun_deliver_verbose(cf, id, arg, transcript, true);
	else if (mode == 'i' || mode == 'b')
		qrun_deliver_now(cf, id, arg);
}

static void run_for_etrn(void *arg, struct cf *cf, const char *match, int rfd, int wfd)
{
	fflush(stdout);
	qrun_etrn(cf, match, arg, rfd, wfd);
}

/* sendmail -bs: an SMTP session with the invoking user on stdin/stdout. */
static int smtp_on_stdio(struct cf *cf, const struct invocation *inv, const struct privs *pv)
{
	struct smtp_server_config c = {0};
	struct log_ctx lc;
	char ident[300];
	int rc = queuedir_check(cf, pv, true);

	if (rc != 0)
		return rc;
	fflush(stdout);
	snprintf(ident, sizeof(ident), "%s@localhost", text_invoking_user());
	c.rfd = 0;
	c.wfd = 1;
	c.stdio = true;
	c.ident = ident;
	c.queued = deliver_queued;
	qrun_log_open(&lc, cf, inv);
	c.log = &lc;
	c.queued_arg = &lc;
	c.etrn = run_for_etrn;
	c.etrn_arg = &lc;
	rc = smtp_server_session(cf, &c);
	/* the session's own status, not what its addresses left behind */
	cf->exit_status = 0;
	return rc;
}


/* newaliases, logged as sendmail logs it (the journal, else nowhere) */
static int rebuild_aliases(struct cf *cf, const struct invocation *inv)
{
	struct log_ctx lc;

	qrun_log_open(&lc, cf, inv); /* the sendmail command's log */
	return alias_rebuild_all(cf, &lc);
}

static int run_mode(struct cf *cf, struct invocation *inv, struct privs *pv, bool under_systemd)
{
	int rc;

	if (inv->q.run && inv->mode == 'm')
		return qrun_run(cf, inv, pv, under_systemd);
	switch (inv->mode) {
	case 't':
		return testmode_run(cf, stdin);
	case 'v':
		rc = queuedir_check(cf, pv, true);
		if (rc != 0)
			return rc;
		rc = verify_addresses(cf, inv->from ? inv->from : text_invoking_user(), inv->rest,
		                      inv->nrest);
		return rc != 0 ? rc : cf->exit_status;
	case 'p':
		return listq_run(cf, inv, pv);
	case 'm':
		return submit_run(cf, inv, pv, stdin);
	case 's':
		return smtp_on_stdio(cf, inv, pv);
	case 'i':
		/* sendmail: only root, the TrustedUser and class t rebuild aliases */
		if (!privs_trusted(pv, cf)) {
			fputs("Permission denied (real uid not trusted)\n", cf->out);
			return EX_USAGE;
		}
		return rebuild_aliases(cf, inv);
	case 'h': /* hoststat */
		return hoststat_print(cf, cf->out);
	case 'H': /* purgestat */
		return hoststat_purge(cf);
	default:
		fprintf(cf->out, "%s: operation mode -b%c is not available in this sdmail build\n",
		        progname, inv->mode);
		return EX_UNAVAILABLE;
	}
}

/* One whole run: a configuration read for `inv` and its mode. */
static int run(struct invocation *inv, const struct debug_flags *dbg, struct privs *pv,
               bool under_systemd)
{
	struct cf *cf = cf_new(stdout);
	int rc = 0;

	cf->dbg = *dbg;
	if (inv->mode == 't' && inv->queue_opt) {
		fputs("Can not use -Q with -bt\n", stdout);
		cf_set_status(cf, EX_USAGE);
	}
	if (inv->q.run && strchr("tvihH", inv->mode) != NULL) {
		fprintf(stdout, "Can not use -q with -b%c\n", inv->mode);
		cf_set_status(cf, EX_USAGE);
		if (inv->mode != 't') {
			cf_free(cf);
			return EX_USAGE;
		}
	}
	cf->op_mode = inv->mode;
	cf->show_messages = inv->verbose || inv->mode == 't' || inv->mode == 'i';
	{
		struct startup_hooks hooks = {drop_privileges_if_asked, warn_run_as_user, pv};
		rc = startup_load(cf, inv, &hooks);
	}
	if (rc == 0)
		rc = run_mode(cf, inv, pv, under_systemd);
	if (rc == 0)
		rc = cf->exit_status;
	fflush(stdout);
	cf_free(cf);
	return rc;
}

/*
 * mailq as Debian's sendmail package shows it: the client queue under
 * "MSP Queue status...", then the MTA's under "MTA Queue status...".
 */
static int run_mailq_both(struct invocation *inv, const struct debug_flags *dbg, struct privs *pv)
{
	int msp, mta;

	fputs("MSP Queue status...\n", stdout);
	fflush(stdout);
	inv->alt = 'c';
	msp = run(inv, dbg, pv, false);
	fputs("MTA Queue status...\n", stdout);
	fflush(stdout);
	inv->alt = 'm';
	mta = run(inv, dbg, pv, false);
	return msp != 0 ? msp : mta;
}

/*
 * -bd/-bD belong to the MTA daemon: sm-mta gets the same command line,
 * without this program's group (it starts as whoever called; root lets
 * it bind the ports and then become the daemon user).
 */
static int hand_over_to_daemon(struct privs *pv, char **argv)
{
	static const char daemon_path[] = SDMAIL_SBINDIR "/sm-mta";

	if (privs_drop(pv) != 0) {
		fputs("sendmail: cannot give up the setgid privilege\n", stderr);
		return EX_OSERR;
	}
	argv[0] = (char *)"sm-mta";
	execv(daemon_path, argv);
	fprintf(stderr, "sendmail: cannot run the MTA daemon %s: %s\n", daemon_path,
		strerror(errno));
	return EX_UNAVAILABLE;
}

int main(int argc, char **argv)
{
	struct invocation inv;
	struct debug_flags dbg = {0};
	struct privs pv;
	/* systemd sets INVOCATION_ID for the processes of a unit; read it
	 * before the environment of a privileged run is cleared */
	bool under_systemd = getenv("INVOCATION_ID") != NULL;
	char submit_cf[4096];
	int rc;

	poke_drain_activation();
	privs_init(&pv);
	progname = argv[0];
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	rc = args_parse(argc, argv, &inv, &dbg);
	if (rc != 0) {
		fflush(stdout);
		return rc;
	}
	if (inv.mode == 'd' || inv.mode == 'D')
		return hand_over_to_daemon(&pv, argv);
	snprintf(submit_cf, sizeof(submit_cf), "%s/submit.cf", SDMAIL_CONFDIR);
	if (inv.mailq_personality && inv.mode == 'p' && inv.cf_file == NULL && inv.alt == 0 &&
	    access(submit_cf, R_OK) == 0)
		rc = run_mailq_both(&inv, &dbg, &pv);
	else
		rc = run(&inv, &dbg, &pv, under_systemd);
	args_free(&inv);
	return rc;
}
