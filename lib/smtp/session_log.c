/*
 * session_log: an SMTP server session's log lines (session_log.h).
 */
#include "smtp/session_log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/daemonopts.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "log/events.h"
#include "msg/collect.h"
#include "queue/qid.h"
#include "queue/queue.h"
#include "smtp/server.h"
#include "smtp/session.h"

static const char *macro(const struct session *s, const char *name)
{
	return macro_get(&s->env, macro_id(s->cf, name, true));
}

/* The client as sendmail's log shows it. */
static struct log_peer peer_of(const struct session *s)
{
	struct log_peer p = {0};
	const char *resolve = macro(s, "client_resolve");

	if (s->cfg->stdio || s->cfg->peer == NULL) {
		p.text = macro(s, "_");
		return p;
	}
	p.addr = macro(s, "client_addr");
	if (resolve != NULL && strcmp(resolve, "OK") == 0)
		p.name = macro(s, "client_name");
	return p;
}

/* The daemon's name in "to MTA" / "daemon=MTA"; -bs sessions say stdin. */
static const char *daemon_name(const struct session *s)
{
	return s->cfg->port != NULL ? s->cfg->port->name : NULL;
}

void session_log_reject(struct session *s, const char *qid, const char *ruleset, const char *arg1,
                        const char *arg2, const char *code, const char *text)
{
	struct log_peer p;
	char reply[2048];

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	if (code != NULL)
		snprintf(reply, sizeof(reply), "%s %s", code, text);
	log_reject(s->cfg->log, qid, ruleset, arg1, arg2, &p, code != NULL ? reply : NULL);
}

const char *session_id(struct session *s)
{
	if (s->log_id[0] == '\0')
		queue_next_id(time(NULL), s->log_id);
	return s->log_id;
}

const char *session_log_qid(const struct session *s)
{
	return s->log_id[0] ? s->log_id : "NOQUEUE";
}

void session_id_done(struct session *s)
{
	s->log_id[0] = '\0';
}

void session_log_etrn(struct session *s, const char *arg)
{
	struct log_peer p;

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	log_etrn(s->cfg->log, session_id(s), &p, arg);
}

void session_log_verify(struct session *s, bool expn, const char *arg)
{
	struct log_peer p;

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	log_verify(s->cfg->log, session_id(s), &p, expn, arg);
}

void session_log_rcpt_flood(struct session *s)
{
	struct log_peer p;

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	log_rcpt_flood(s->cfg->log, session_id(s), &p);
}

void session_log_attack(struct session *s, const char *command, int count)
{
	struct log_peer p;

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	log_smtp_attack(s->cfg->log, session_id(s), &p, command, count);
}

void session_log_delaying(struct session *s, const char *command, int la, long long limit)
{
	if (s->cfg->log != NULL)
		log_delaying(s->cfg->log, session_id(s), command, la, limit);
}

void session_log_starttls(struct session *s)
{
	struct log_peer p;
	struct log_tls t = {0};
	const char *bits = macro(s, "cipher_bits");

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	t.role = "server";
	t.peer = &p;
	t.version = macro(s, "tls_version");
	t.verify = macro(s, "verify");
	t.cipher = macro(s, "cipher");
	t.bits = t.alg_bits = bits ? atoi(bits) : 0;
	log_starttls(s->cfg->log, &t);
}

static const char *header_value(const struct envelope *e, const char *name)
{
	for (const struct env_header *h = e->headers; h; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

void session_log_from(struct session *s, const char *qid, const struct collect_result *cr)
{
	struct log_peer p;
	struct log_from f = {0};
	char msgid[1024] = "";
	const char *v;

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	v = header_value(&s->e, "Message-Id");
	if (v != NULL) {
		while (isspace((unsigned char)*v))
			v++;
		snprintf(msgid, sizeof(msgid), "%s", v);
	}
	f.qid = qid;
	f.from = s->e.sender;
	f.size = cr->header_bytes + cr->body_bytes;
	f.nrcpts = s->nrcpts;
	f.msgid = msgid[0] ? msgid : NULL;
	f.bodytype = s->e.bodytype;
	f.proto = macro(s, "r");
	f.daemon = daemon_name(s);
	f.peer = &p;
	log_from(s->cfg->log, &f);
}

void session_log_will_queue(struct session *s, const char *qid)
{
	if (s->cfg->log == NULL)
		return;
	for (const struct will_queue *w = s->will_queue; w != NULL; w = w->next) {
		struct log_to t = {.qid = qid,
				   .kind = LOG_TO_DEFERRED,
				   .rcpts = &w->addr,
				   .nrcpts = 1,
				   .delay = 0,
				   .xdelay = -1,
				   .mailer = w->mailer,
				   .pri = s->e.priority,
				   .dsn = "4.4.3",
				   .stat = "queued"};
		log_to(s->cfg->log, &t);
	}
}

static bool will_queue(const struct session *s, const char *addr)
{
	for (const struct will_queue *w = s->will_queue; w != NULL; w = w->next)
		if (strcmp(w->addr, addr) == 0)
			return true;
	return false;
}

/* A recipient of a mailer with aliases (F=A, the local one) is expanded
 * when the queue runner delivers it; sendmail 8.17.1 logs no stat=queued
 * line for it when it queues the message. */
static bool expanded_later(const struct session *s, const struct env_rcpt *r)
{
	const struct mailer *m = r->mailer ? mailer_find(s->cf, r->mailer) : NULL;

	return m != NULL && mailer_has_flag(m, 'A');
}

void session_log_load_queued(struct session *s, const char *qid)
{
	if (s->cfg->log == NULL)
		return;
	for (const struct env_rcpt *r = s->e.rcpts; r != NULL; r = r->next)
		if (!will_queue(s, r->addr) && !expanded_later(s, r))
			log_to_queued(s->cfg->log, qid, r->addr, r->mailer ? r->mailer : "",
			              s->e.priority);
}

void session_log_end(struct session *s, enum session_end how)
{
	struct log_peer p;
	const char *where = s->cfg->stdio ? "stdin" : daemon_name(s);
	char during[64];

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	if (how == SESSION_END_LOST) {
		log_lost_input(s->cfg->log, session_log_qid(s), &p, where,
			       s->last_command[0] ? s->last_command : "connect");
	} else if (how == SESSION_END_TIMEOUT) {
		snprintf(during, sizeof(during), "server %s", "cmd read");
		log_input_timeout(s->cfg->log, session_log_qid(s), &p, during);
	}
	if (!s->issued_mail)
		log_no_mail(s->cfg->log, session_id(s), &p, where);
}

void session_log_auth(struct session *s, bool ok, const char *mech, const char *user,
		      const char *detail, int bits)
{
	struct log_peer p;

	if (s->cfg->log == NULL)
		return;
	p = peer_of(s);
	if (ok)
		log_auth_server(s->cfg->log, NULL, &p, user, mech, bits);
	else
		log_auth_failure(s->cfg->log, NULL, mech, "authentication failure", -13,
				 detail && *detail ? detail : NULL, user ? user : "", &p);
}
