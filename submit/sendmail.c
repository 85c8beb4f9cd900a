/*
 * sendmail: the `sendmail` command — argument parsing in sendmail's POSIX
 * style (options end at the first non-option), argv[0] personalities,
 * choosing the configuration file by mode (-C, -Ac, -Am), the -d debug
 * output of the start-up, and the modes this build implements: address
 * test mode (-bt) and verification (-bv).  Modes that need the queue and
 * the daemon report that they are unavailable with EX_UNAVAILABLE.
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
#include "cf/readcf.h"
#include "args.h"
#include "identity_text.h"
#include "testmode/testmode.h"
#include "testmode/verify.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "version.h"

#define DEFAULT_PIDFILE "/var/run/sendmail/mta/sendmail.pid"

static const char *progname = "sendmail";

static const char *choose_cf(const struct invocation *inv, char *buf, size_t size)
{
	bool submit;
	if (inv->cf_file != NULL)
		return inv->cf_file;
	submit = inv->alt == 'c' ||
		 (inv->alt != 'm' && (inv->mode == 'm' || inv->mode == 's'));
	snprintf(buf, size, "%s/%s", SDMAIL_CONFDIR, submit ? "submit.cf" : "sendmail.cf");
	if (submit && inv->alt != 'c' && access(buf, R_OK) != 0)
		snprintf(buf, size, "%s/%s", SDMAIL_CONFDIR, "sendmail.cf");
	return buf;
}

static void print_startup_debug(struct cf *cf)
{
	if (dbg_on(&cf->dbg, 0, 1))
		fprintf(cf->out, "Version %s\n%s", SDMAIL_VERSION, COMPILED_WITH_TEXT);
	if (dbg_on(&cf->dbg, 0, 10))
		fprintf(cf->out,
			"%s     Conf file:\t%s/submit.cf (default for MSP)\n"
			"     Conf file:\t%s/sendmail.cf (default for MTA)\n"
			"      Pid file:\t%s (default)\n",
			OS_DEFINES_TEXT, SDMAIL_CONFDIR, SDMAIL_CONFDIR, DEFAULT_PIDFILE);
	if (dbg_on(&cf->dbg, 0, 12))
		fputs(LIBSM_DEFINES_TEXT, cf->out);
	if (dbg_on(&cf->dbg, 0, 13))
		fputs(FFR_DEFINES_TEXT, cf->out);
}

static void print_selected(struct cf *cf, const char *cfpath)
{
	struct strbuf pid = STRBUF_INIT;
	const char *p = cf->opt.str[OPT_PidFile];
	if (!dbg_on(&cf->dbg, 0, 10))
		return;
	if (p != NULL)
		macro_expand(cf, &cf->macros, p, &pid);
	fprintf(cf->out, "     Conf file:\t%s (selected)\n      Pid file:\t%s (selected)\n", cfpath,
		p ? sb_str(&pid) : DEFAULT_PIDFILE);
	sb_free(&pid);
}

static int apply_command_line(struct cf *cf, struct invocation *inv)
{
	const char *p = inv->options.s;
	for (int i = 0; i < inv->noptions; i++) {
		int rc = option_set_line(cf, p, true);
		if (rc != 0)
			return rc;
		p += strlen(p) + 1;
	}
	p = inv->macros.s;
	for (int i = 0; i < inv->nmacros; i++) {
		const char *q = p;
		int id = macro_parse_id(cf, &q);
		if (id > 0)
			macro_define_text(cf, &cf->macros, id, q);
		p += strlen(p) + 1;
	}
	return 0;
}

/*
 * sendmail works inside its queue directory in every mode but -bt and
 * refuses to run when it cannot; sdmail keeps the check (not the chdir:
 * -bv has no business in the queue) so a wrong QueueDirectory shows.
 */
static int check_queue_directory(struct cf *cf)
{
	struct strbuf q = STRBUF_INIT;
	struct stat st;
	int rc = 0;

	macro_expand(cf, &cf->macros, cf->opt.str[OPT_QueueDirectory], &q);
	if (stat(sb_str(&q), &st) != 0 || !S_ISDIR(st.st_mode)) {
		int e = errno;
		if (e == 0)
			e = ENOTDIR;
		fprintf(cf->out, "can not chdir(%s/): %s\n", sb_str(&q), strerror(e));
		rc = EX_CONFIG;
	}
	sb_free(&q);
	return rc;
}

/* The macros sendmail defines for every run before the mode starts. */
static void define_runtime_macros(struct cf *cf, char mode)
{
	char buf[512];
	double load[1];
	int id;

	macro_define(&cf->macros, 'v', SDMAIL_VERSION);
	snprintf(buf, sizeof(buf), "%c", mode);
	macro_define(&cf->macros, macro_id(cf, "opMode", true), buf);
	snprintf(buf, sizeof(buf), "%c",
		 (mode == 't' || mode == 'v') ? 'i' : (char)cf->opt.num[OPT_DeliveryMode]);
	macro_define(&cf->macros, macro_id(cf, "deliveryMode", true), buf);
	snprintf(buf, sizeof(buf), "%s@localhost", text_invoking_user());
	macro_define(&cf->macros, '_', buf);
	id = macro_id(cf, "load_avg", true);
	if (getloadavg(load, 1) == 1) {
		snprintf(buf, sizeof(buf), "%d", (int)load[0]);
		macro_define(&cf->macros, id, buf);
	}
}

int main(int argc, char **argv)
{
	struct invocation inv;
	struct cf *cf;
	char cfbuf[4096];
	const char *cfpath;
	int rc;

	progname = argv[0];
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	cf = cf_new(stdout);
	rc = args_parse(argc, argv, &inv, &cf->dbg);
	if (rc != 0)
		goto out;
	if (inv.mode == 't' && inv.queue_opt) {
		fputs("Can not use -Q with -bt\n", stdout);
		cf_set_status(cf, EX_USAGE);
	}
	cf->op_mode = inv.mode;
	cf->show_messages = inv.verbose || inv.mode == 't';

	print_startup_debug(cf);
	hostid_setup(cf);
	cfpath = choose_cf(&inv, cfbuf, sizeof(cfbuf));
	rc = cf_read_file(cf, cfpath);
	if (rc != 0)
		goto out;
	/* a broken configuration is only good for looking at it (-bt) */
	if (cf->config_errors > 0 && inv.mode != 't') {
		rc = cf->exit_status;
		goto out;
	}
	rc = apply_command_line(cf, &inv);
	if (rc != 0)
		goto out;
	hostid_probe_interfaces(cf);
	define_runtime_macros(cf, inv.mode);
	print_selected(cf, cfpath);
	hostid_finish(cf);
	if (dbg_on(&cf->dbg, 0, 15))
		mailer_print_all(cf);
	rc = cf_finish(cf, inv.mode != 't');
	if (rc != 0)
		goto out;

	switch (inv.mode) {
	case 't':
		rc = testmode_run(cf, stdin);
		break;
	case 'v':
		rc = check_queue_directory(cf);
		if (rc != 0)
			break;
		rc = verify_addresses(cf, inv.from ? inv.from : text_invoking_user(), inv.rest, inv.nrest);
		if (rc == 0)
			rc = cf->exit_status;
		break;
	default:
		fprintf(stdout, "%s: operation mode -b%c is not available in this sdmail build\n",
			progname, inv.mode);
		rc = EX_UNAVAILABLE;
		break;
	}
out:
	if (rc == 0)
		rc = cf->exit_status;
	fflush(stdout);
	args_free(&inv);
	cf_free(cf);
	return rc;
}
