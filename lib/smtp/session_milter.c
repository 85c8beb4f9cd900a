/*
 * session_milter: the server's use of the mail filters (session_milter.h).
 */
#include "smtp/session_milter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/daemonopts.h"
#include "cf/macro.h"
#include "log/log.h"
#include "milter/milter.h"
#include "milter/modify.h"
#include "msg/envelope.h"
#include "rules/parseaddr.h"
#include "smtp/server.h"
#include "smtp/session.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The filters' log lines go to the session's log, with the queue ID. */
static void milter_log(void *arg, int priority, const char *text)
{
	struct session *s = arg;
	struct log_entry en = {0};

	if (s->cfg->log == NULL)
		return;
	en.priority = priority;
	en.qid = s->e.id[0] ? s->e.id : "NOQUEUE";
	en.event = "milter";
	en.text = text;
	log_emit(s->cfg->log, &en);
}

static void send_verdict(struct session *s, const struct milter_result *r,
			 enum milter_stage stage, const char *addr)
{
	struct strbuf out = STRBUF_INIT;
	milter_smtp_reply(s->milter, r, stage, addr, &out);
	if (out.len > 0)
		session_reply_raw(s, sb_str(&out));
	sb_free(&out);
}

enum milter_greeting session_milter_connect(struct session *s)
{
	struct milter_config mc = {0};
	struct milter_result r = {0};
	const char *host;
	enum milter_verdict v;
	enum milter_greeting g = MILTER_GREET_NORMAL;

	s->milter_macros.cf = s->cf;
	s->milter_macros.env = &s->env;
	s->milter_macros.scratch = &s->milter_scratch;
	mc.macro = milter_env_macro;
	mc.macro_arg = &s->milter_macros;
	mc.log = milter_log;
	mc.log_arg = s;
	if (s->cfg->port != NULL)
		mc.filters = s->cfg->port->input_milters; /* this port's own list */
	s->milter = milter_session_new(s->cf, &mc);
	if (s->milter == NULL)
		return g;
	host = macro_get(&s->env, macro_id(s->cf, "client_name", true));
	if (s->cfg->stdio || host == NULL)
		host = "localhost";
	v = milter_connect(s->milter, host, s->cfg->stdio ? NULL : s->cfg->peer,
			   s->cfg->stdio ? 0 : s->cfg->peerlen, &r);
	if (v == MILTER_REJECT) {
		s->milter_block = xstrdup("550 5.0.0 Command rejected");
		s->milter_block_all = true;
		g = MILTER_GREET_REJECT;
	} else if (v == MILTER_TEMPFAIL) {
		struct strbuf out = STRBUF_INIT;
		milter_smtp_reply(s->milter, &r, MILTER_STAGE_CONNECT, NULL, &out);
		s->milter_block = sb_detach(&out);
		s->milter_block_all = false; /* MAIL only */
	} else if (v == MILTER_SHUTDOWN) {
		g = MILTER_GREET_SHUTDOWN;
	}
	milter_result_clear(&r);
	return g;
}

bool session_milter_blocked(struct session *s, const char *addr)
{
	(void)addr;
	if (s->milter_block == NULL)
		return false;
	session_reply_raw(s, s->milter_block);
	return true;
}

bool session_milter_helo(struct session *s, const char *helo)
{
	struct milter_result r = {0};
	enum milter_verdict v;

	if (s->milter == NULL || (s->milter_block != NULL && s->milter_block_all))
		return true; /* a refused connection stays refused */
	v = milter_helo(s->milter, helo, &r);
	if (v == MILTER_REJECT || v == MILTER_TEMPFAIL) {
		/* HELO itself is answered; the refusal stands for MAIL/RCPT/DATA */
		struct strbuf out = STRBUF_INIT;
		milter_smtp_reply(s->milter, &r, MILTER_STAGE_HELO, NULL, &out);
		free(s->milter_block);
		s->milter_block = sb_detach(&out);
		/* a refusal stands for MAIL, RCPT and DATA; a temporary
		 * failure for MAIL only, as at connect */
		s->milter_block_all = v == MILTER_REJECT;
	} else if (v == MILTER_SHUTDOWN) {
		send_verdict(s, &r, MILTER_STAGE_HELO, NULL);
		s->quitting = true;
		milter_result_clear(&r);
		return false;
	}
	milter_result_clear(&r);
	return true;
}

/* "SIZE=100 BODY=8BITMIME" after the address → argv for the filters. */
static char **command_argv(const char *addr, const char *params)
{
	size_t n = 2;
	char *copy = xstrdup(params ? params : "");
	char **argv;

	for (const char *p = copy; *p; p++)
		n += *p == ' ';
	argv = xcalloc(n + 2, sizeof(*argv));
	n = 0;
	argv[n++] = xstrdup(addr);
	for (char *tok = strtok(copy, " \t"); tok; tok = strtok(NULL, " \t"))
		argv[n++] = xstrdup(tok);
	free(copy);
	return argv;
}

static void free_argv(char **argv)
{
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

/*
 * A command's verdict: DISCARD marks the message and lets the command
 * pass; a refusal is answered (SHUTDOWN also ends the session).  False
 * when the command was refused.
 */
static bool settle(struct session *s, enum milter_verdict v, struct milter_result *r,
		   enum milter_stage stage, const char *addr)
{
	bool pass = true;

	if (v == MILTER_DISCARD) {
		s->discard = true;
	} else if (v != MILTER_CONTINUE && v != MILTER_ACCEPT) {
		send_verdict(s, r, stage, addr);
		if (v == MILTER_SHUTDOWN)
			s->quitting = true;
		pass = false;
	}
	milter_result_clear(r);
	return pass;
}

static bool ask(struct session *s, enum milter_stage stage, const char *addr, const char *params)
{
	struct milter_result r = {0};
	enum milter_verdict v;
	char **argv;

	if (s->milter == NULL)
		return true;
	argv = command_argv(addr, params);
	v = stage == MILTER_STAGE_MAIL ? milter_envfrom(s->milter, argv, &r)
				       : milter_envrcpt(s->milter, argv, &r);
	free_argv(argv);
	return settle(s, v, &r, stage, addr);
}

bool session_milter_mail(struct session *s, const char *addr, const char *params)
{
	return ask(s, MILTER_STAGE_MAIL, addr, params);
}

bool session_milter_rcpt(struct session *s, const char *addr, const char *params)
{
	return ask(s, MILTER_STAGE_RCPT, addr, params);
}

static bool simple_stage(struct session *s, enum milter_stage stage, const char *line)
{
	struct milter_result r = {0};
	enum milter_verdict v;

	if (s->milter == NULL)
		return true;
	v = stage == MILTER_STAGE_DATA ? milter_data(s->milter, &r)
				       : milter_unknown(s->milter, line, &r);
	return settle(s, v, &r, stage, NULL);
}

bool session_milter_data(struct session *s)
{
	return simple_stage(s, MILTER_STAGE_DATA, NULL);
}

bool session_milter_unknown(struct session *s, const char *line)
{
	return simple_stage(s, MILTER_STAGE_UNKNOWN, line);
}

/*
 * What sendmail 8.17.1 does beyond the changes themselves (observed): a
 * recipient a filter added and a sender it set are parsed through the
 * rulesets as at RCPT and MAIL, and a map lookup deferred there becomes
 * the entry's status (its M line) unless it has one; a quarantined entry
 * lacks the 's' of its F line.
 */
static void after_changes(struct session *s, const struct milter_mods *mods)
{
	for (const struct milter_mod *d = mods->head; d != NULL; d = d->next) {
		struct address a = {0};

		if (d->type != MOD_ADD_RCPT && d->type != MOD_CHG_FROM)
			continue;
		session_catch_begin(s);
		parse_address(&s->ctx, d->str, d->type == MOD_CHG_FROM ? RF_SENDERADDR : 0, '\0',
		              NULL, &a);
		session_catch_end(s);
	}
	if (s->deferred.len > 0 && s->e.message == NULL)
		envelope_set(&s->e.message, sb_str(&s->deferred));
	sb_reset(&s->deferred);
	if (s->e.quarantine != NULL && s->e.flags != NULL) {
		char *f = strchr(s->e.flags, 's');
		if (f != NULL)
			memmove(f, f + 1, strlen(f));
	}
}

enum milter_eom_outcome session_milter_eom(struct session *s, int df_fd, size_t own_skip)
{
	struct milter_result r = {0};
	struct milter_mods mods;
	enum milter_verdict v;
	enum milter_eom_outcome out = MILTER_EOM_ACCEPT;

	if (s->milter == NULL)
		return MILTER_EOM_ACCEPT;
	v = milter_eom(s->milter, &s->e, own_skip, df_fd, &mods, &r);
	if (v == MILTER_CONTINUE || v == MILTER_ACCEPT) {
		if (milter_apply(&mods, &s->e, own_skip, df_fd) < 0) {
			session_reply(s, "451 4.3.0", "Temporary system failure. Please try again later.");
			out = MILTER_EOM_REFUSED;
		} else {
			after_changes(s, &mods);
		}
	} else if (v == MILTER_DISCARD) {
		out = MILTER_EOM_DISCARD;
	} else {
		send_verdict(s, &r, MILTER_STAGE_EOM, NULL);
		if (v == MILTER_SHUTDOWN)
			s->quitting = true;
		out = MILTER_EOM_REFUSED;
	}
	milter_mods_free(&mods);
	milter_result_clear(&r);
	return out;
}

void session_milter_abort(struct session *s)
{
	if (s->milter != NULL)
		milter_abort(s->milter);
}

void session_milter_end(struct session *s)
{
	if (s->milter != NULL)
		milter_session_free(s->milter);
	s->milter = NULL;
	free(s->milter_block);
	s->milter_block = NULL;
	sb_free(&s->milter_scratch);
}
