/*
 * transaction: the mail transaction of an ESMTP server session — MAIL,
 * RCPT and DATA with sendmail's replies, ESMTP parameters (SIZE, BODY,
 * RET, ENVID, AUTH, NOTIFY, ORCPT), the check_mail and check_rcpt
 * rulesets, and the message written into a new queue entry that is made
 * durable before it is acknowledged (session.h).
 */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/daemonopts.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/options.h"
#include "msg/arpadate.h"
#include "log/events.h"
#include "msg/collect.h"
#include "msg/headers.h"
#include "queue/loadlimit.h"
#include "queue/queue.h"
#include "rules/parseaddr.h"
#include "smtp/auth.h"
#include "smtp/session.h"
#include "smtp/session_log.h"
#include "smtp/session_milter.h"
#include "util/pool.h"
#include "util/xalloc.h"

void transaction_reset(struct session *s)
{
	if (s->have_mail)
		session_milter_abort(s); /* the filters forget the message too */
	envelope_free(&s->e);
	envelope_init(&s->e);
	pool_release(&s->pool);
	s->have_mail = false;
	s->rcpts.ctx = NULL;
	s->rcpts.queue = NULL;
	s->nrcpts = s->listed_rcpts = 0;
	s->will_queue = NULL;
	s->ret_given = s->ret_hdrs = false;
	s->size_param = 0;
	s->discard = false;
	s->from_mailer = -1;
	s->bad_rcpts = 0;
	s->flood_logged = false;
}

void transaction_log_abandoned(struct session *s)
{
	struct collect_result nothing = {0};

	if (s->have_mail)
		session_log_from(s, s->e.id, &nothing);
}

void transaction_end(struct session *s)
{
	bool had_mail = s->have_mail;

	transaction_log_abandoned(s);
	transaction_reset(s);
	if (had_mail)
		session_id_done(s);
}

/*
 * "From:<addr> params" after the verb: the address (with its brackets
 * when it had them) and where the parameters start.  NULL, with the
 * reply sent, on a syntax error.
 */
static char *split_path(struct session *s, char *args, const char *keyword, char **params)
{
	size_t klen = strlen(keyword);
	char *p = args, *addr;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, keyword, klen) != 0 || p[klen] != ':') {
		char *word = xstrndup(p, strcspn(p, ": \t"));
		session_reply(s, "501 5.5.2", "Syntax error in parameters scanning \"%s\"", word);
		free(word);
		return NULL;
	}
	p += klen + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	addr = p;
	if (*p == '<') {
		int depth = 0;
		bool quoted = false;
		for (; *p; p++) {
			if (*p == '\\' && p[1]) {
				p++;
			} else if (*p == '"') {
				quoted = !quoted;
			} else if (!quoted && *p == '<') {
				depth++;
			} else if (!quoted && *p == '>' && --depth == 0) {
				p++;
				break;
			}
		}
	} else {
		p += strcspn(p, " \t");
	}
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
	}
	*params = p;
	return addr;
}

/* The next "KEY=value" of a parameter list; false at the end. */
static bool next_param(char **list, char **key, char **value)
{
	char *p = *list;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return false;
	*key = p;
	p += strcspn(p, " \t");
	if (*p)
		*p++ = '\0';
	*list = p;
	*value = strchr(*key, '=');
	if (*value)
		*(*value)++ = '\0';
	return true;
}

static bool disk_space_for(struct session *s, long long size)
{
	struct statvfs sv;
	const char *dir = s->cf->opt.str[OPT_QueueDirectory];
	long long min_free = s->cf->opt.num[OPT_MinFreeBlocks];
	unsigned long long avail;

	if (dir == NULL || statvfs(dir, &sv) != 0)
		return true;
	avail = (unsigned long long)sv.f_bavail;
	if (min_free > 0 && avail < (unsigned long long)min_free)
		return false;
	return size <= 0 || (unsigned long long)size / sv.f_bsize + (unsigned long long)min_free <=
				    avail;
}

/* srv_features D: no DSN for this client */
static void dsn_refused(struct session *s, const char *key)
{
	char upper[16];
	size_t i;
	for (i = 0; key[i] && i + 1 < sizeof(upper); i++)
		upper[i] = (char)toupper((unsigned char)key[i]);
	upper[i] = '\0';
	session_reply(s, "504 5.7.0", "Sorry, %s not supported, we do not allow DSN", upper);
}

static bool mail_param(struct session *s, const char *key, const char *value)
{
	struct cf *cf = s->cf;
	if (strcasecmp(key, "SIZE") == 0) {
		long long max = cf->opt.num[OPT_MaxMessageSize];
		s->size_param = value ? atoll(value) : 0;
		if (max > 0 && s->size_param > max) {
			session_reply(s, "552 5.2.3",
				      "Message size exceeds fixed maximum message size (%lld)", max);
			return false;
		}
	} else if (strcasecmp(key, "BODY") == 0) {
		if (value == NULL || (strcasecmp(value, "7BIT") != 0 &&
				      strcasecmp(value, "8BITMIME") != 0)) {
			session_reply(s, "501 5.5.4", "Unknown BODY type %s", value ? value : "");
			return false;
		}
		envelope_set(&s->e.bodytype, value);
	} else if ((strcasecmp(key, "RET") == 0 || strcasecmp(key, "ENVID") == 0) &&
		   !session_offers_dsn(s)) {
		dsn_refused(s, key);
		return false;
	} else if (strcasecmp(key, "RET") == 0) {
		if (value == NULL ||
		    (strcasecmp(value, "FULL") != 0 && strcasecmp(value, "HDRS") != 0)) {
			session_reply(s, "501 5.5.4", "Bad argument \"%s\" to RET", value ? value : "");
			return false;
		}
		s->ret_hdrs = strcasecmp(value, "HDRS") == 0;
		s->ret_given = true;
	} else if (strcasecmp(key, "ENVID") == 0) {
		envelope_set(&s->e.envid, value ? value : "");
	} else if (strcasecmp(key, "AUTH") == 0) {
		return auth_mail_param(s, value);
	} else {
		session_reply(s, "555 5.5.4", "%s parameter unrecognized", key);
		return false;
	}
	return true;
}

/* What the cf's rulesets read of the sender later (delay_checks runs
 * check_mail's tests at RCPT time on ${mail_from}). */
static void define_sender_macros(struct session *s, const char *addr, const struct address *a)
{
	struct cf *cf = s->cf;
	macro_define(&s->env, macro_id(cf, "mail_from", true), addr);
	macro_define(&s->env, macro_id(cf, "mail_mailer", true),
		     a->mailer_name ? a->mailer_name : "");
	macro_define(&s->env, macro_id(cf, "mail_host", true), a->host ? a->host : "");
	macro_define(&s->env, macro_id(cf, "mail_addr", true), a->user ? a->user : "");
}

void cmd_mail(struct session *s, char *args)
{
	struct cf *cf = s->cf;
	char *addr, *params, *key, *value;
	char given_params[SMTP_SERVER_LINE_MAX]; /* for the filters, as written */
	struct address a;

	if (!s->helo_done && (cf->opt.num[OPT_PrivacyOptions] & PRIV_NEEDMAILHELO)) {
		session_reply(s, "503 5.0.0", "Polite people say HELO first");
		return;
	}
	if (session_milter_blocked(s, NULL))
		return;
	if (s->have_mail) {
		session_reply(s, "503 5.5.0", "Sender already specified");
		return;
	}
	if (((s->cfg->port != NULL && daemon_has_modifier(s->cfg->port, 'a')) ||
	     session_feature(s, 'l')) && !s->authenticated) {
		/* M=a, or srv_features "l": AUTH first */
		session_reply(s, "530 5.7.0", "Authentication required");
		return;
	}
	s->issued_mail = true;
	addr = split_path(s, args, "From", &params);
	if (addr == NULL)
		return;
	snprintf(given_params, sizeof(given_params), "%s", params ? params : "");
	transaction_reset(s);
	/* sendmail names the transaction from here on, refusals included */
	snprintf(s->e.id, sizeof(s->e.id), "%s", session_id(s));
	s->ctx = (struct rw_ctx){cf, &s->env, &s->pool, false, &s->deferred};
	session_catch_begin(s);
	set_sender(&s->ctx, addr, &a);
	session_catch_end(s);
	if (s->have_err) {
		session_reply(s, s->err_code, "%s", sb_str(&s->err_text));
		return;
	}
	while (next_param(&params, &key, &value))
		if (!mail_param(s, key, value))
			return;
	/* every MAIL, SIZE= or not: below MinFreeBlocks nothing is taken */
	if (!disk_space_for(s, s->size_param)) {
		session_reply(s, "452 4.4.5", "Insufficient disk space; try again later");
		return;
	}
	define_sender_macros(s, addr, &a);
	s->from_mailer = a.mailer != NULL ? a.mailer->index : -1;
	if (!session_check(s, "check_mail", addr, "553 5.0.0") ||
	    !session_milter_mail(s, addr, given_params))
		return;
	if (a.mailer != NULL && mailer_has_flag(a.mailer, 'w') && a.user != NULL) {
		/* a local sender's full name, for From: and Full-Name: */
		struct passwd *pw = getpwnam(a.user);
		if (pw != NULL && pw->pw_gecos && *pw->pw_gecos) {
			char full[256];
			snprintf(full, sizeof(full), "%s", pw->pw_gecos);
			full[strcspn(full, ",")] = '\0';
			if (full[0])
				macro_define(&s->env, 'x', full);
		}
	}
	envelope_set(&s->e.sender, addr); /* as given, brackets and all */
	{
		/* $f: the sender without its angle brackets */
		size_t n = strlen(addr);
		char *bare = xstrdup(addr[0] == '<' ? addr + 1 : addr);
		if (addr[0] == '<' && n >= 2 && addr[n - 1] == '>')
			bare[n - 2] = '\0';
		macro_define(&s->env, 'f', bare);
		free(bare);
	}
	s->mail_time = time(NULL);
	s->have_mail = true;
	session_reply(s, "250 2.1.0", "%s... Sender ok", addr);
}

/* "<@a,@b:user@host>" → "<user@host>"; an unqualified user gets @$j. */
static void reply_address(struct session *s, const char *addr, struct strbuf *out)
{
	const char *p = addr, *end;
	size_t n;

	if (*p == '<')
		p++;
	end = p + strlen(p);
	if (end > p && end[-1] == '>')
		end--;
	if (*p == '@') {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		if (colon)
			p = colon + 1;
	}
	n = (size_t)(end - p);
	sb_putc(out, '<');
	sb_put(out, p, n);
	if (memchr(p, '@', n) == NULL)
		sb_printf(out, "@%s", s->hostname);
	sb_putc(out, '>');
}

static bool rcpt_notify(struct session *s, const char *value, char *flags)
{
	char *copy = xstrdup(value ? value : "");
	bool ok = true;
	for (char *tok = strtok(copy, ","); tok && ok; tok = strtok(NULL, ",")) {
		if (strcasecmp(tok, "NEVER") == 0)
			continue;
		else if (strcasecmp(tok, "SUCCESS") == 0)
			strcat(flags, "S");
		else if (strcasecmp(tok, "FAILURE") == 0)
			strcat(flags, "F");
		else if (strcasecmp(tok, "DELAY") == 0)
			strcat(flags, "D");
		else
			ok = false;
	}
	if (!ok || copy[0] == '\0')
		session_reply(s, "501 5.5.4", "Bad argument \"%s\"  to NOTIFY", value ? value : "");
	free(copy);
	return ok && value && *value;
}

/*
 * The r line: the user the recipient resolved to, qualified with $j when
 * it has no domain; for one that ruleset 5 replaced, the address it
 * replaced, as the submission program writes it.
 */
static char *final_recipient(struct session *s, const struct recipient *r,
			     const struct strbuf *shown)
{
	struct strbuf sb = STRBUF_INIT;
	const char *user = r->a.user ? r->a.user : "";

	if (r->ctl_user != NULL && strchr(r->ctl_user, '@') != NULL)
		user = r->ctl_user;
	else if (r->ctl_user != NULL)
		user = shown->s ? shown->s : user;
	else if (r->a.host == NULL && shown->s != NULL) {
		/* a local user keeps the case it was given in */
		const char *given = shown->s + (shown->s[0] == '<');
		size_t n = strlen(user);
		if (strncasecmp(given, user, n) == 0 && given[n] == '@') {
			sb_printf(&sb, "RFC822; %.*s", (int)n, given);
			sb_printf(&sb, "@%s", s->hostname);
			return sb_detach(&sb);
		}
	}
	sb_printf(&sb, "RFC822; %s", user);
	if (strchr(user, '@') == NULL)
		sb_printf(&sb, "@%s", s->hostname);
	return sb_detach(&sb);
}

static void note_will_queue(struct session *s, const char *addr, const struct recipient *added)
{
	struct will_queue *w = pool_alloc(&s->pool, sizeof(*w));
	const struct recipient *r = added;

	while (r->next != NULL && r->a.state != ADDR_QUEUEUP)
		r = r->next;
	w->addr = pool_strdup(&s->pool, addr);
	w->mailer = r->a.mailer != NULL ? r->a.mailer->name : "";
	w->next = s->will_queue;
	s->will_queue = w;
}

void cmd_rcpt(struct session *s, char *args)
{
	struct cf *cf = s->cf;
	char *addr, *params, *key, *value, flags[16] = "P", *orcpt = NULL;
	struct strbuf shown = STRBUF_INIT;
	struct recipient *last;
	long long max = cf->opt.num[OPT_MaxRecipientsPerMessage];
	bool notify_given = false;
	char given_params[SMTP_SERVER_LINE_MAX]; /* for the filters, as written */

	if (s->milter_block_all && session_milter_blocked(s, NULL))
		return;
	if (!s->have_mail) {
		session_reply(s, "503 5.0.0", "Need MAIL before RCPT");
		return;
	}
	if (cf->opt.num[OPT_BadRcptThrottle] > 0 &&
	    s->bad_rcpts >= cf->opt.num[OPT_BadRcptThrottle]) {
		/* BadRcptThrottle: a recipient harvester is slowed down, said
		 * once per transaction at the first RCPT that waits */
		if (!s->flood_logged)
			session_log_rcpt_flood(s);
		s->flood_logged = true;
		sleep(1);
	}
	addr = split_path(s, args, "To", &params);
	if (addr == NULL)
		return;
	snprintf(given_params, sizeof(given_params), "%s", params ? params : "");
	while (next_param(&params, &key, &value)) {
		if ((strcasecmp(key, "NOTIFY") == 0 || strcasecmp(key, "ORCPT") == 0) &&
		    !session_offers_dsn(s)) {
			dsn_refused(s, key);
			return;
		}
		if (strcasecmp(key, "NOTIFY") == 0) {
			if (!rcpt_notify(s, value, flags))
				return;
			notify_given = true;
		} else if (strcasecmp(key, "ORCPT") == 0 && value != NULL) {
			orcpt = value;
		} else {
			session_reply(s, "555 5.5.4", "%s parameter unrecognized", key);
			return;
		}
	}
	if (!notify_given)
		strcat(flags, "FD");
	else /* N: a NOTIFY was given, NEVER when no other letter follows */
		memmove(flags + 2, flags + 1, strlen(flags + 1) + 1), flags[1] = 'N';
	if (strcmp(addr, "<>") == 0 || *addr == '\0') {
		session_reply(s, "553 5.0.0", "<>... User address required");
		return;
	}
	if (max > 0 && s->nrcpts >= max) {
		session_reply(s, "452 4.5.3", "Too many recipients");
		return;
	}
	if (!session_check(s, "check_rcpt", addr, "550 5.7.1") ||
	    !session_milter_rcpt(s, addr, given_params)) {
		s->bad_rcpts++;
		return;
	}
	if (s->rcpts.ctx == NULL) {
		rcpt_list_init(&s->rcpts, &s->ctx);
		s->rcpts.one_envelope = true;
	}
	last = s->rcpts.queue;
	while (last && last->next)
		last = last->next;
	/* sendmail expands aliases and reads .forward files at RCPT time only
	 * when it delivers interactively (VERB asks for that too); otherwise
	 * an alias or a user that exists is accepted and its expansion
	 * checked at delivery */
	s->rcpts.verify_only = cf->opt.num[OPT_DeliveryMode] != 'i' && !s->verbose;
	s->rcpts.last_duplicate = NULL;
	session_catch_begin(s);
	{
		/* in VERB mode the expansion's notes go to the client (050) */
		bool show = cf->show_messages;
		cf->show_messages = show || s->verbose;
		rcpt_send_to_list(&s->rcpts, addr);
		cf->show_messages = show;
	}
	session_catch_end(s);
	if (s->deferred.len > 0) {
		/* the first deferral note becomes the queue entry's status
		 * unless a refusal set one (a later refusal replaces it) */
		if (s->last_error.len == 0)
			sb_puts(&s->last_error, sb_str(&s->deferred));
		sb_reset(&s->deferred);
	}
	reply_address(s, addr, &shown);
	{
		struct recipient *added = last ? last->next : s->rcpts.queue;
		/* nothing added and nothing said: a duplicate, which is fine */
		bool good = added == NULL && !s->have_err, queued = false;
		if (added != NULL)
			s->listed_rcpts++;
		for (struct recipient *r = added; r; r = r->next) {
			good |= r->a.state != ADDR_BADADDR;
			queued |= r->a.state == ADDR_QUEUEUP;
		}
		if (!good || (s->have_err && !queued)) {
			if (!s->have_err) {
				snprintf(s->err_code, sizeof(s->err_code), "550 5.1.1");
				sb_reset(&s->err_text);
				sb_printf(&s->err_text, "%s... User unknown", sb_str(&shown));
			}
			session_reply(s, s->err_code, "%s", sb_str(&s->err_text));
			if (s->cfg->log != NULL) /* sendmail logs the refused address */
				log_rcpt_error(s->cfg->log, s->e.id, sb_str(&s->err_text));
			s->bad_rcpts++;
		} else if (added == NULL && s->rcpts.last_duplicate != NULL &&
			   s->rcpts.last_duplicate->a.state == ADDR_BADADDR) {
			/* the duplicate of an address found bad before */
			session_reply(s, "550 5.1.1", "%s... Addressee unknown", sb_str(&shown));
			s->bad_rcpts++;
		} else if (added == NULL) {
			/* a duplicate is answered with the recipient it repeats */
			const struct recipient *d = s->rcpts.last_duplicate;
			session_reply(s, "250 2.1.5", "%s... Recipient ok", d ? d->printed : addr);
		} else {
			struct env_rcpt *er = envelope_add_rcpt(&s->e, addr, flags);
			er->final = final_recipient(s, added, &shown);
			er->host = xstrdup(added->a.host ? added->a.host : "");
			er->mailer = xstrdup(added->a.mailer ? added->a.mailer->name : "");
			if (orcpt != NULL)
				er->orcpt = xstrdup(orcpt);
			for (struct recipient *r = added; r; r = r->next)
				if (r->ctl_user != NULL && r->a.state != ADDR_BADADDR) {
					struct strbuf c = STRBUF_INIT;
					sb_printf(&c, ":%s", r->ctl_user);
					er->ctladdr = sb_detach(&c);
					break;
				}
			if (er->ctladdr == NULL && s->e.rcpts != er)
				er->ctladdr = xstrdup(""); /* "C" ends a previous one */
			s->nrcpts++;
			if (queued)
				note_will_queue(s, addr, added);
			session_reply(s, "250 2.1.5", "%s... Recipient ok%s", addr,
				      queued ? " (will queue)" : "");
		}
	}
	sb_free(&shown);
}

/* ---- DATA ---------------------------------------------------------------- */

struct io_source {
	struct session *s;
	bool bare_lf;
	bool after_bare_lf; /* the previous line ended with a bare LF */
};

static ssize_t read_data_line(void *arg, char **line, bool *terminated)
{
	struct io_source *src = arg;
	struct session *s = src->s;
	struct io_line l;
	long long to = s->cf->opt.timeout[TO_datablock];
	bool whole;
	int rc = io_read_piece(&s->io, to > 0 ? (int)(to * 1000) : -1, &l, &whole);

	if (rc < 0)
		return rc == -ECONNRESET ? -1 : -2;
	/* a line longer than the buffer comes in parts (sendmail keeps it
	 * whole too); only its last part ends it */
	*line = l.s;
	*terminated = whole;
	if (memchr(l.s, '\r', l.len) != NULL)
		src->bare_lf = true; /* a bare CR inside the line */
	if (!whole)
		return (ssize_t)l.len;
	/* only CRLF.CRLF ends the data: a dot line ended by a bare LF, or
	 * one after a line ended so, must not (SMTP smuggling); the message
	 * is refused anyway */
	if ((l.bare_lf || src->after_bare_lf) && l.len == 1 && l.s[0] == '.')
		l.s[0] = ' ';
	src->after_bare_lf = l.bare_lf;
	if (l.bare_lf)
		src->bare_lf = true;
	return (ssize_t)l.len;
}

static void define_dates(struct session *s, time_t now)
{
	char buf[64];
	struct cf *cf = s->cf;
	arpadate(now, buf, sizeof(buf));
	macro_define(&s->env, 'b', buf);
	macro_define(&s->env, 'a', buf);
	numericdate(now, buf, sizeof(buf));
	macro_define(&s->env, 't', buf);
	ctimedate(now, buf, sizeof(buf));
	macro_define(&s->env, 'd', buf);
	(void)cf;
}

/* Everything that goes into the qf besides what DATA brought. */
/*
 * sendmail queues a message's recipients grouped by host (those without
 * one first, then by host name regardless of case), in RCPT order within
 * a host: a stable insertion sort.
 */
static void sort_recipients(struct envelope *e)
{
	struct env_rcpt *sorted = NULL, *next;

	for (struct env_rcpt *r = e->rcpts; r; r = next) {
		struct env_rcpt **p = &sorted;
		next = r->next;
		while (*p && strcasecmp((*p)->host ? (*p)->host : "", r->host ? r->host : "") <= 0)
			p = &(*p)->next;
		r->next = *p;
		*p = r;
	}
	e->rcpts = sorted;
}

static void complete_envelope(struct session *s, struct envelope *e, const char *qid,
			      const struct collect_result *cr)
{
	const char *u = NULL;
	static const char *const kept[] = {"_", "r", "s", NULL}; /* as sendmail orders them */

	e->ctime = time(NULL);
	e->priority = cr->header_bytes + cr->body_bytes +
		      (long)s->nrcpts * s->cf->opt.num[OPT_RecipientFactor];
	/* sendmail names the recipient ("for <...>" in Received) only when its
	 * list holds that one address: a refused "User unknown" one counts */
	if (s->nrcpts == 1 && s->listed_rcpts == 1)
		u = e->rcpts->addr;
	macro_define(&s->env, 'u', u);
	macro_define(&s->env, 'i', qid);
	define_dates(s, e->ctime);
	{
		/* Date: is when the transaction began */
		char buf[64];
		arpadate(s->mail_time ? s->mail_time : e->ctime, buf, sizeof(buf));
		macro_define(&s->env, 'a', buf);
	}
	headers_add_defaults(s->cf, &s->env, e, s->milter != NULL);
	/* the last refusal of the session is the queued message's status */
	if (s->last_error.len > 0)
		envelope_set(&e->message, sb_str(&s->last_error));
	for (int i = 0; kept[i]; i++) {
		const char *v = macro_get(&s->env, macro_id(s->cf, kept[i], true));
		if (v != NULL)
			envelope_set_macro(e, kept[i], v);
	}
	{
		const char *df = macro_get(&s->env, macro_id(s->cf, "daemon_flags", true));
		envelope_set_macro(e, "{daemon_flags}", df ? df : "");
	}
	{
		char f[16], all[24];
		headers_envelope_flags(e, cr->eight_bit, f, sizeof(f));
		snprintf(all, sizeof(all), "%s%s%ss", f, s->ret_given ? "d" : "",
			 s->ret_hdrs ? "n" : "");
		envelope_set(&e->flags, all);
	}
	if (e->bodytype != NULL && strcasecmp(e->bodytype, "8BITMIME") == 0 && !cr->eight_bit)
		envelope_set(&e->bodytype, "7BIT");
}

/* check_eoh: the number of headers and their length, "N $| LEN". */
/*
 * EightBitMode=s: sendmail refuses 8-bit data (body or headers) in a
 * message that is not MIME (no MIME-Version) and was not declared
 * BODY=8BITMIME.
 */
static bool strict_8bit_refused(const struct session *s, const struct collect_result *cr)
{
	const char *t = s->e.bodytype;

	if (s->cf->opt.num[OPT_EightBitMode] != 's' || !cr->eight_bit)
		return false;
	if (t != NULL && strcasecmp(t, "8BITMIME") == 0)
		return false;
	return header_find(&s->e, "MIME-Version") == NULL;
}

static bool end_of_headers_ok(struct session *s, const struct collect_result *cr)
{
	char count[16], len[24];
	int n = 0;

	for (const struct env_header *h = s->e.headers; h; h = h->next)
		n++;
	snprintf(count, sizeof(count), "%d", n);
	snprintf(len, sizeof(len), "%lld", cr->header_bytes);
	macro_define(&s->env, macro_id(s->cf, "hdr_count", true), count);
	macro_define(&s->env, macro_id(s->cf, "hdrlen", true), len);
	return session_check2(s, "check_eoh", count, len, "550 5.7.1");
}

/* Headers the server put before the message's own (Received:, ...). */
static size_t own_headers(const struct envelope *e, const struct env_header *first_collected)
{
	size_t n = 0;
	for (const struct env_header *h = e->headers; h && h != first_collected; h = h->next)
		n++;
	return first_collected ? n : 0;
}

/*
 * The envelope completed, then the filters' end of message: false when
 * they refused the message (the reply was sent) or discarded it (it is
 * answered as accepted and not kept).
 */
static bool complete_and_filter(struct session *s, struct queue_entry *qe,
				const struct collect_result *cr)
{
	const struct env_header *first = s->e.headers;
	enum milter_eom_outcome mo;

	complete_envelope(s, &s->e, qe->id, cr);
	if (s->milter == NULL)
		return true;
	fflush(qe->df);
	mo = session_milter_eom(s, fileno(qe->df), own_headers(&s->e, first));
	s->have_mail = false; /* the filters are done with this message */
	if (mo == MILTER_EOM_DISCARD) {
		session_count_message(s, STATS_FROM, cr->header_bytes + cr->body_bytes);
		session_count_message(s, STATS_DISCARD, 0);
		session_reply(s, "250 2.0.0", "%s Message accepted for delivery", qe->id);
	}
	return mo == MILTER_EOM_ACCEPT;
}

/*
 * The df could not be written: sendmail 8.17 answers a full disk with
 * 421 4.3.1 and drops the connection (here after the rest of the data
 * was read, so that the client sees the reply); the client retries later.
 */
static void data_not_written(struct session *s, int err)
{
	if (err == ENOSPC || err == EDQUOT)
		session_reply(s, "421 4.3.1", "Out of disk space for temp file");
	else
		session_reply(s, "421 4.3.0", "Temporary system failure. Please try again later.");
	s->quitting = true;
}

/* DeliveryMode queue or defer: the message waits for a queue run. */
static bool queue_only(const struct cf *cf)
{
	char mode = (char)cf->opt.num[OPT_DeliveryMode];
	return mode == 'q' || mode == 'd';
}

void cmd_data(struct session *s)
{
	struct queue q;
	struct queue_entry qe;
	struct collect_opts co = {0};
	struct collect_result cr;
	struct io_source is = {s, false};
	struct collect_source src = {read_data_line, &is};
	int rc;

	if (s->milter_block_all && session_milter_blocked(s, NULL))
		return;
	if (!s->have_mail) {
		session_reply(s, "503 5.0.0", "Need MAIL command");
		return;
	}
	if (s->nrcpts == 0) {
		session_reply(s, "503 5.0.0", "Need RCPT (recipient)");
		return;
	}
	{
		char n[16];
		snprintf(n, sizeof(n), "%d", s->nrcpts);
		if (!session_check2(s, "check_data", n, NULL, "550 5.7.1"))
			return;
	}
	if (!session_milter_data(s))
		return;
	rc = queue_open_cf(&q, s->cf);
	if (rc == 0 && (rc = queue_new_named(&q, &qe, time(NULL), s->e.id)) != 0)
		queue_close(&q);
	if (rc != 0) {
		session_reply(s, "451 4.3.0", "Temporary system failure. Please try again later.");
		return;
	}
	session_reply(s, "354", "End data with <CR><LF>.<CR><LF>");
	session_flush(s, true);

	co.smtp = true;
	co.reject_nul = s->cf->opt.num[OPT_RejectNUL];
	co.max_size = s->cf->opt.num[OPT_MaxMessageSize];
	co.max_headers = s->cf->opt.num[OPT_MaxHeadersLength];
	co.seven_bit = s->cf->opt.num[OPT_SevenBitInput];
	snprintf(s->e.id, sizeof(s->e.id), "%s", qe.id);
	collect_message(&src, qe.df, &s->e, &co, &cr);

	if (cr.status == COLLECT_IO_ERROR) {
		queue_abort(&q, &qe);
		queue_close(&q);
		s->quitting = true; /* the client is gone */
		transaction_reset(s);
		session_id_done(s);
		return;
	}
	if (cr.status == COLLECT_WRITE_ERROR) {
		queue_abort(&q, &qe);
		data_not_written(s, cr.write_errno);
	} else if (is.bare_lf) {
		queue_abort(&q, &qe);
		session_reply(s, "550 5.6.0", "Bare CR or LF in message data not allowed");
	} else if (cr.status == COLLECT_TOO_BIG) {
		queue_abort(&q, &qe);
		session_reply(s, "552 5.2.3", "Message exceeds maximum fixed size (%lld)",
			      s->cf->opt.num[OPT_MaxMessageSize]);
	} else if (cr.status == COLLECT_HEADERS_TOO_BIG) {
		queue_abort(&q, &qe);
		session_reply(s, "552 5.6.0", "Headers too large (%lld max)",
			      s->cf->opt.num[OPT_MaxHeadersLength]);
	} else if (cr.status == COLLECT_NUL) {
		queue_abort(&q, &qe);
		session_reply(s, "554 5.6.0", "NUL byte not allowed");
	} else if (strict_8bit_refused(s, &cr)) {
		queue_abort(&q, &qe);
		session_reply(s, "554 5.6.1", "Eight bit data not allowed");
	} else if (s->discard) {
		queue_abort(&q, &qe);
		session_count_message(s, STATS_FROM, cr.header_bytes + cr.body_bytes);
		session_count_message(s, STATS_DISCARD, 0);
		session_reply(s, "250 2.0.0", "%s Message accepted for delivery", qe.id);
	} else if (!end_of_headers_ok(s, &cr)) {
		queue_abort(&q, &qe); /* check_eoh refused it */
	} else if (!complete_and_filter(s, &qe, &cr)) {
		queue_abort(&q, &qe); /* refused or discarded, as the filters said */
	} else {
		sort_recipients(&s->e);
		rc = queue_commit(&q, &qe, &s->e);
		if (rc != 0) {
			session_reply(s, "451 4.3.0", "Temporary system failure. Please try again later.");
		} else {
			char qid[QUEUE_ID_MAX];
			snprintf(qid, sizeof(qid), "%s", qe.id);
			session_log_from(s, qid, &cr);
			session_count_message(s, STATS_FROM, cr.header_bytes + cr.body_bytes);
			if (s->e.quarantine != NULL) /* a filter quarantined it */
				session_count_message(s, STATS_QUARANTINE, 0);
			session_log_will_queue(s, qid);
			queue_release(&qe);
			if (s->verbose && s->cfg->queued != NULL) {
				/* VERB: interactive delivery, shown before the reply */
				FILE *t = session_transcript_open(s);
				s->cfg->queued(s->cfg->queued_arg, s->cf, qid, t);
				if (t != NULL)
					fclose(t);
			}
			session_reply(s, "250 2.0.0", "%s Message accepted for delivery", qid);
			session_flush(s, true);
			if (!s->verbose && (queue_only(s->cf) ||
					    load_queues_message(s->cf, s->e.priority)))
				session_log_load_queued(s, qid); /* -odq, QueueLA: the runner's */
			else if (!s->verbose)
				session_queued(s, qid);
		}
	}
	queue_close(&q);
	transaction_reset(s);
	session_id_done(s);
	sb_reset(&s->last_error);
}
