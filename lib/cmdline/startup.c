/*
 * startup: reading the configuration for one run of sendmail or sm-mta
 * (startup.h).
 */
#include "cmdline/startup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aliases/aliasdb.h"
#include "cf/cf.h"
#include "cf/hostid.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/options.h"
#include "cf/readcf.h"
#include "cmdline/args.h"
#include "cmdline/identity_text.h"
#include "dns/resolve.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "version.h"

#define DEFAULT_PIDFILE "/var/run/sendmail/mta/sendmail.pid"

const char *startup_choose_cf(const struct invocation *inv, char *buf, size_t size)
{
	bool submit;
	if (inv->cf_file != NULL)
		return inv->cf_file;
	/* a queue run (-q) is the MTA's unless -Ac says otherwise */
	submit = inv->alt == 'c' ||
	         (inv->alt != 'm' && !inv->q.run && (inv->mode == 'm' || inv->mode == 's'));
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

static int apply_command_line(struct cf *cf, const struct invocation *inv)
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

/* Read and check the configuration for one run; 0 or a sysexits code. */
int startup_load(struct cf *cf, const struct invocation *inv, const struct startup_hooks *h)
{
	char cfbuf[4096];
	const char *cfpath;
	int rc;

	print_startup_debug(cf);
	hostid_setup(cf);
	cfpath = startup_choose_cf(inv, cfbuf, sizeof(cfbuf));
	rc = cf_read_file(cf, cfpath);
	if (rc != 0)
		return rc;
	/* a broken configuration is only good for looking at it (-bt) */
	if (cf->config_errors > 0 && inv->mode != 't')
		return cf->exit_status;
	if (h != NULL && h->after_read != NULL)
		h->after_read(cf, inv, h->arg);
	rc = apply_command_line(cf, inv);
	if (rc != 0)
		return rc;
	if (h != NULL && h->after_options != NULL)
		h->after_options(cf, inv, h->arg);
	dns_apply_options(cf);
	hostid_probe_interfaces(cf);
	define_runtime_macros(cf, inv->mode);
	print_selected(cf, cfpath);
	hostid_finish(cf);
	alias_setup(cf);
	if (dbg_on(&cf->dbg, 0, 15))
		mailer_print_all(cf);
	return cf_finish(cf, inv->mode != 't');
}

