/*
 * milter: the session engine (milter.h) — filters in order, one stage at
 * a time, each filter's answer turned into a verdict; the end of message
 * with its modifications.
 */
#include "milter/milter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/milter.h"
#include "milter/conn.h"
#include "milter/modify.h"
#include "milter/proto.h"
#include "msg/envelope.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum filter_state {
	F_OPEN,      /* connected and negotiated */
	F_MSG_DONE,  /* accepted (or discarded) this message: not asked again until its end */
	F_CONN_DONE, /* accepted the connection: not asked again */
	F_ERROR,     /* unusable for the rest of the session */
};

struct filter {
	struct milter_filter def;
	struct milter_conn conn;
	enum filter_state state;
	bool ever_open; /* connected and negotiated once (error state came later) */
	uint32_t version, actions, protocol;
	char *macros[MILTER_MACROS_COUNT]; /* the filter's own lists */
	long long eom_deadline;            /* monotonic ms when E: runs out, 0: not at eom */
};

struct milter_session {
	struct cf *cf;
	struct milter_config cfg;
	struct filter *f;
	size_t n;
	char *macros[MILTER_MACROS_COUNT]; /* Milter.macros.* */
	int loglevel;                      /* Milter.LogLevel */
	bool connected;
};

/* What the MTA offers at negotiation: everything sendmail 8.17 does. */
#define OFFER_ACTIONS SMFIF_ALL
#define OFFER_PROTOCOL SMFIP_ALL
#define READ_LIMIT MILTER_MAX_DATA_1M

__attribute__((format(printf, 4, 5))) static void mlog(const struct milter_session *s, int level,
                                                       int prio, const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT;
	va_list ap;

	if (s->loglevel < level || s->cfg.log == NULL)
		return;
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	s->cfg.log(s->cfg.log_arg, prio, sb_str(&b));
	sb_free(&b);
}

const char *milter_verdict_name(enum milter_verdict v)
{
	static const char *const names[] = {"continue", "accept",  "reject",
	                                    "tempfail", "discard", "shutdown"};
	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

void milter_result_clear(struct milter_result *r)
{
	free(r->reply);
	memset(r, 0, sizeof(*r));
}

/* --- configuration --- */

static const char *const stage_option[MILTER_MACROS_COUNT] = {
    "macros.connect", "macros.helo", "macros.envfrom", "macros.envrcpt",
    "macros.data",    "macros.eom",  "macros.eoh",
};

static void read_settings(struct milter_session *s)
{
	const char *p = s->cf->opt.milter_settings;

	s->loglevel = (int)s->cf->opt.num[OPT_LogLevel];
	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, "\n");
		const char *eq = memchr(p, '=', n);
		if (eq != NULL) {
			size_t kl = (size_t)(eq - p);
			char *val = xstrndup(eq + 1, n - kl - 1);
			if (kl == 8 && strncasecmp(p, "LogLevel", 8) == 0)
				s->loglevel = atoi(val);
			for (int i = 0; i < MILTER_MACROS_COUNT; i++)
				if (strlen(stage_option[i]) == kl &&
				    strncasecmp(p, stage_option[i], kl) == 0) {
					free(s->macros[i]);
					s->macros[i] = xstrdup(val);
				}
			free(val);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* The next name of a list separated by commas, semicolons (as a
 * DaemonPortOptions value must) and blanks; false at its end. */
static bool next_name(const char **p, size_t *n)
{
	*p += strspn(*p, ",; \t");
	*n = strcspn(*p, ",; \t");
	return *n > 0;
}

static const struct milter_def *find_def(struct cf *cf, const char *name, size_t len)
{
	for (const struct milter_def *d = cf->milters; d != NULL; d = d->next)
		if (strlen(d->name) == len && strncmp(d->name, name, len) == 0)
			return d;
	return NULL;
}

struct milter_session *milter_session_new(struct cf *cf, const struct milter_config *cfg)
{
	const char *list = cfg->filters ? cfg->filters : cf->opt.str[OPT_InputMailFilters];
	struct milter_session *s;

	if (list == NULL || cf->milters == NULL)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->cf = cf;
	s->cfg = *cfg;
	read_settings(s);
	size_t n;
	for (const char *p = list; next_name(&p, &n); p += n) {
		const struct milter_def *d = find_def(cf, p, n);
		if (d == NULL) {
			mlog(s, 1, LOG_ERR, "InputFilter %.*s not defined", (int)n, p);
		} else {
			s->f = xrealloc(s->f, (s->n + 1) * sizeof(*s->f));
			struct filter *f = &s->f[s->n++];
			memset(f, 0, sizeof(*f));
			milter_filter_from_def(cf, d, &f->def);
			milter_conn_init(&f->conn);
			f->state = F_ERROR; /* until connected */
		}
	}
	if (s->n == 0) {
		milter_session_free(s);
		return NULL;
	}
	return s;
}

static void send_simple(struct filter *f, char cmd)
{
	struct milter_packet p;
	size_t len;
	const char *b;

	milter_packet_begin(&p, cmd);
	b = milter_packet_end(&p, &len);
	milter_conn_write(&f->conn, b, len, f->def.timeout_ms[MILTER_TO_SEND]);
	milter_packet_free(&p);
}

void milter_session_free(struct milter_session *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		struct filter *f = &s->f[i];
		if (f->conn.fd >= 0 && f->state != F_ERROR)
			send_simple(f, SMFIC_QUIT);
		milter_conn_close(&f->conn);
		free(f->conn.data);
		milter_filter_free(&f->def);
		for (int m = 0; m < MILTER_MACROS_COUNT; m++)
			free(f->macros[m]);
	}
	for (int m = 0; m < MILTER_MACROS_COUNT; m++)
		free(s->macros[m]);
	free(s->f);
	free(s);
}

bool milter_active(const struct milter_session *s)
{
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (s->f[i].state != F_ERROR)
			return true;
	return false;
}

/* --- failures --- */

/* What a filter in error state means for every stage: its F= flag. */
static enum milter_verdict fail_verdict(const struct filter *f, struct milter_result *r)
{
	static const enum milter_verdict by_mode[] = {
	    [MILTER_FAIL_PASS] = MILTER_CONTINUE,
	    [MILTER_FAIL_REJECT] = MILTER_REJECT,
	    [MILTER_FAIL_TEMPFAIL] = MILTER_TEMPFAIL,
	    [MILTER_FAIL_SHUTDOWN] = MILTER_SHUTDOWN,
	};

	r->verdict = by_mode[f->def.fail];
	r->filter = r->verdict == MILTER_CONTINUE ? NULL : f->def.name;
	return r->verdict;
}

/* The filter is unusable: log and close it.  Like sendmail, the session
 * then gets the filter's F= verdict for this and every later stage. */
static void to_error_state(struct milter_session *s, struct filter *f)
{
	mlog(s, 1, LOG_ERR, "Milter (%s): to error state", f->def.name);
	milter_conn_close(&f->conn); /* nothing more is said to it */
	f->state = F_ERROR;
}

static enum milter_verdict filter_failed(struct milter_session *s, struct filter *f,
                                         struct milter_result *r)
{
	to_error_state(s, f);
	return fail_verdict(f, r);
}

/* A reply that makes no sense at this stage: sendmail 8.17.1 goes on
 * with the command, and only later stages get the F= verdict. */
static enum milter_verdict filter_lost(struct milter_session *s, struct filter *f,
                                       struct milter_result *r)
{
	to_error_state(s, f);
	r->filter = NULL;
	return r->verdict = MILTER_CONTINUE;
}

static void log_io(struct milter_session *s, struct filter *f, enum milter_io io, bool reading,
                   char cmd)
{
	const char *dir = reading ? "read" : "write";

	switch (io) {
	case MIO_OK:
		break;
	case MIO_TIMEOUT_BEFORE:
		mlog(s, 1, LOG_ERR, "Milter (%s): timeout before data %s", f->def.name, dir);
		break;
	case MIO_TIMEOUT_IN:
		mlog(s, 1, LOG_ERR, "Milter (%s): timeout during data %s", f->def.name, dir);
		break;
	case MIO_EOF:
		mlog(s, 1, LOG_ERR, "milter_read(%s): cmd read returned %zu, expecting %zu",
		     f->def.name, f->conn.got, f->conn.want);
		break;
	case MIO_ERROR:
		mlog(s, 1, LOG_ERR, "Milter (%s): %s(%c): %s", f->def.name, dir, cmd,
		     strerror(f->conn.err));
		break;
	case MIO_TOO_LONG:
		mlog(s, 1, LOG_ERR, "milter_read(%s): read returned %lu: too long", f->def.name,
		     (unsigned long)f->conn.bad_len);
		break;
	case MIO_EMPTY:
		mlog(s, 1, LOG_ERR, "milter_read(%s): read returned 0: empty packet", f->def.name);
		break;
	}
}

/* --- sending --- */

static bool send_packet(struct milter_session *s, struct filter *f, struct milter_packet *p)
{
	size_t len;
	const char *b = milter_packet_end(p, &len);
	enum milter_io io = milter_conn_write(&f->conn, b, len, f->def.timeout_ms[MILTER_TO_SEND]);

	if (io != MIO_OK)
		log_io(s, f, io, false, b[4]);
	return io == MIO_OK;
}

static const char stage_cmd[MILTER_MACROS_COUNT] = {
    SMFIC_CONNECT, SMFIC_HELO, SMFIC_MAIL, SMFIC_RCPT, SMFIC_DATA, SMFIC_BODYEOB, SMFIC_EOH,
};

/* SMFIC_MACRO with the values of the stage's macro list, if it names any. */
static bool send_macros(struct milter_session *s, struct filter *f, int stage)
{
	const char *list = f->macros[stage] ? f->macros[stage] : s->macros[stage];
	struct milter_packet p;
	bool any = false, ok = true;

	if (list == NULL || s->cfg.macro == NULL)
		return true;
	milter_packet_begin(&p, SMFIC_MACRO);
	milter_packet_put(&p, &stage_cmd[stage], 1);
	size_t n;
	for (const char *q = list; next_name(&q, &n); q += n) {
		char *name = xstrndup(q, n), *plain = name;
		size_t pl = strlen(plain);
		if (pl > 2 && plain[0] == '{' && plain[pl - 1] == '}' && pl == 3) {
			plain[2] = '\0'; /* {j} is j */
			plain++;
		}
		const char *v = s->cfg.macro(s->cfg.macro_arg, plain);
		if (v != NULL) {
			milter_packet_str(&p, plain);
			milter_packet_str(&p, v);
			any = true;
		}
		free(name);
	}
	if (any)
		ok = send_packet(s, f, &p);
	milter_packet_free(&p);
	return ok;
}

/* --- replies --- */

enum answer {
	ANS_VERDICT, /* the stage is decided for this filter: r->verdict */
	ANS_SKIP,    /* SMFIR_SKIP */
	ANS_MOD,     /* a modification (only at end of message): in *reply */
	ANS_FAILED,  /* the filter failed: r->verdict from F= */
};

static const char *stage_name(char cmd)
{
	switch (cmd) {
	case SMFIC_CONNECT:
		return "connect";
	case SMFIC_HELO:
		return "helo";
	case SMFIC_MAIL:
		return "mail";
	case SMFIC_RCPT:
		return "rcpt";
	case SMFIC_DATA:
		return "data";
	case SMFIC_HEADER:
		return "header";
	case SMFIC_EOH:
		return "eoh";
	case SMFIC_BODY:
		return "body";
	case SMFIC_BODYEOB:
		return "eom";
	case SMFIC_UNKNOWN:
		return "unknown";
	case SMFIC_OPTNEG:
		return "optneg";
	}
	return "?";
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * E: at end of message, as sendmail 8.17.1 keeps it (observed): R bounds
 * each read (a filter silent for 4s with E:1s and R:10s is waited for),
 * and E, counted from sending the end of message, is looked at whenever
 * the filter sends something that is not its answer — progress reports
 * or changes — so a filter that keeps reporting progress is failed once
 * E has passed.
 */
static bool eom_expired(struct milter_session *s, struct filter *f, struct milter_result *r)
{
	if (f->eom_deadline == 0 || now_ms() < f->eom_deadline)
		return false;
	mlog(s, 1, LOG_ERR, "milter_data(%s): EOM ACK/NAK timeout", f->def.name);
	filter_failed(s, f, r);
	return true;
}

/* Read the filter's answer to `cmd` (progress reports just wait on). */
static enum answer read_answer(struct milter_session *s, struct filter *f, char cmd,
                               struct milter_reply *reply, struct milter_result *r)
{
	int t = f->def.timeout_ms[MILTER_TO_READ];
	enum milter_io io;

	for (;;) {
		if (eom_expired(s, f, r))
			return ANS_FAILED;
		io = milter_conn_read(&f->conn, t, READ_LIMIT);
		if (io != MIO_OK) {
			log_io(s, f, io, true, cmd);
			filter_failed(s, f, r);
			return ANS_FAILED;
		}
		if (f->conn.cmd != SMFIR_PROGRESS)
			break;
	}
	switch (milter_parse_reply(f->conn.cmd, f->conn.data, f->conn.len, reply)) {
	case REPLY_OK:
		break;
	case REPLY_BAD_CODE:
		/* sendmail rejects with its own text and keeps the filter */
		mlog(s, 1, LOG_ERR, "Milter (%s): %s: invalid SMTP reply code: %s", f->def.name,
		     stage_name(cmd), reply->str);
		r->filter = f->def.name;
		r->verdict = MILTER_REJECT;
		return ANS_VERDICT;
	case REPLY_UNKNOWN:
		mlog(s, 1, LOG_ERR, "Milter (%s): %s: unknown response '%c'", f->def.name,
		     stage_name(cmd), f->conn.cmd);
		filter_lost(s, f, r);
		return ANS_FAILED;
	case REPLY_MALFORMED:
		mlog(s, 1, LOG_ERR, "Milter (%s): %s: invalid response '%c' (%zu bytes)",
		     f->def.name, stage_name(cmd), f->conn.cmd, f->conn.len);
		filter_failed(s, f, r);
		return ANS_FAILED;
	}
	r->filter = f->def.name;
	switch (reply->cmd) {
	case SMFIR_CONTINUE:
		r->filter = NULL;
		r->verdict = MILTER_CONTINUE;
		return ANS_VERDICT;
	case SMFIR_ACCEPT:
		r->filter = NULL;
		f->state = cmd == SMFIC_CONNECT || cmd == SMFIC_HELO ? F_CONN_DONE : F_MSG_DONE;
		r->verdict = MILTER_CONTINUE;
		return ANS_VERDICT;
	case SMFIR_REJECT:
		r->verdict = MILTER_REJECT;
		return ANS_VERDICT;
	case SMFIR_TEMPFAIL:
		r->verdict = MILTER_TEMPFAIL;
		return ANS_VERDICT;
	case SMFIR_DISCARD:
		f->state = F_MSG_DONE;
		r->verdict = MILTER_DISCARD;
		return ANS_VERDICT;
	case SMFIR_SHUTDOWN:
	case SMFIR_CONN_FAIL:
		/* sendmail 8.17.1 takes these for replies it does not know */
		mlog(s, 1, LOG_ERR, "Milter (%s): %s: unknown response '%c'", f->def.name,
		     stage_name(cmd), reply->cmd);
		filter_lost(s, f, r);
		return ANS_FAILED;
	case SMFIR_REPLYCODE:
		free(r->reply);
		r->reply = xstrdup(reply->str);
		r->verdict = strncmp(reply->str, "421", 3) == 0 ? MILTER_SHUTDOWN
		             : reply->str[0] == '4'             ? MILTER_TEMPFAIL
		                                                : MILTER_REJECT;
		return ANS_VERDICT;
	case SMFIR_SKIP:
		r->filter = NULL;
		if (cmd == SMFIC_BODY)
			return ANS_SKIP;
		break;
	default:
		if (cmd == SMFIC_BODYEOB)
			return ANS_MOD;
		break;
	}
	mlog(s, 1, LOG_ERR, "Milter (%s): %s: unexpected response '%c'", f->def.name,
	     stage_name(cmd), reply->cmd);
	filter_lost(s, f, r);
	return ANS_FAILED;
}

static enum milter_stage stage_of_cmd(char cmd)
{
	switch (cmd) {
	case SMFIC_CONNECT:
		return MILTER_STAGE_CONNECT;
	case SMFIC_HELO:
		return MILTER_STAGE_HELO;
	case SMFIC_MAIL:
		return MILTER_STAGE_MAIL;
	case SMFIC_RCPT:
		return MILTER_STAGE_RCPT;
	case SMFIC_DATA:
		return MILTER_STAGE_DATA;
	case SMFIC_UNKNOWN:
		return MILTER_STAGE_UNKNOWN;
	}
	return MILTER_STAGE_EOM;
}

/* "Milter: from=<a@b>, reject=550 5.7.1 <a@b>... Command rejected" */
static void log_verdict(struct milter_session *s, char cmd, const char *arg,
                        const struct milter_result *r)
{
	const char *what = cmd == SMFIC_MAIL      ? "from"
	                   : cmd == SMFIC_BODYEOB ? "data"
	                   : cmd == SMFIC_CONNECT ? "connect: host"
	                                          : stage_name(cmd);
	struct strbuf reply = STRBUF_INIT;

	if (r->verdict == MILTER_CONTINUE || r->verdict == MILTER_ACCEPT)
		return;
	milter_smtp_reply(s, r, stage_of_cmd(cmd), arg, &reply);
	if (r->verdict == MILTER_DISCARD)
		mlog(s, 4, LOG_INFO, "Milter: %s%s%s, discard", what, arg ? "=" : "",
		     arg ? arg : "");
	else
		mlog(s, 4, LOG_INFO, "Milter: %s%s%s, reject=%s", what, arg ? "=" : "",
		     arg ? arg : "", sb_str(&reply));
	sb_free(&reply);
}

/*
 * One command to every usable filter in order: its macros, the command,
 * its answer.  The first filter that decides anything but "continue"
 * decides the stage.
 */
static enum milter_verdict run_stage(struct milter_session *s, int stage, char cmd,
                                     uint32_t skip_flag, uint32_t noreply_flag,
                                     uint32_t min_version, struct milter_packet *p, const char *arg,
                                     struct milter_result *r)
{
	bool message = cmd != SMFIC_CONNECT && cmd != SMFIC_HELO && cmd != SMFIC_UNKNOWN;
	struct milter_reply reply;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < s->n; i++) {
		struct filter *f = &s->f[i];
		/* a filter that never came up does not answer unknown commands
		 * with its F= verdict (sendmail: 500 Command unrecognized); one
		 * that failed later does */
		if (f->state == F_ERROR && (cmd != SMFIC_UNKNOWN || f->ever_open) &&
		    fail_verdict(f, r) != MILTER_CONTINUE)
			break;
		if (!(f->state == F_OPEN || (!message && f->state == F_MSG_DONE)))
			continue;
		if ((f->protocol & skip_flag) || f->version < min_version)
			continue;
		if ((stage >= 0 && !send_macros(s, f, stage)) || !send_packet(s, f, p)) {
			if (filter_failed(s, f, r) != MILTER_CONTINUE)
				break;
			continue;
		}
		if (f->protocol & noreply_flag)
			continue;
		enum answer a = read_answer(s, f, cmd, &reply, r);
		if ((a == ANS_VERDICT || a == ANS_FAILED) && r->verdict != MILTER_CONTINUE)
			break;
	}
	log_verdict(s, cmd, arg, r);
	return r->verdict;
}

/* --- connecting --- */

static bool negotiate(struct milter_session *s, struct filter *f)
{
	struct milter_packet p;
	struct milter_optneg opt;
	enum milter_io io;
	bool ok;

	milter_packet_begin(&p, SMFIC_OPTNEG);
	milter_packet_u32(&p, MILTER_VERSION);
	milter_packet_u32(&p, OFFER_ACTIONS);
	milter_packet_u32(&p, OFFER_PROTOCOL);
	ok = send_packet(s, f, &p);
	milter_packet_free(&p);
	if (!ok)
		return false;
	io = milter_conn_read(&f->conn, f->def.timeout_ms[MILTER_TO_READ], READ_LIMIT);
	if (io != MIO_OK) {
		log_io(s, f, io, true, SMFIC_OPTNEG);
		return false;
	}
	if (milter_parse_optneg(f->conn.cmd, f->conn.data, f->conn.len, &opt) != OPTNEG_OK) {
		mlog(s, 1, LOG_ERR, "Milter (%s): milter_negotiate: returned %c instead of %c",
		     f->def.name, f->conn.cmd, SMFIC_OPTNEG);
		return false;
	}
	if (opt.version < MILTER_MIN_VERSION || opt.version > MILTER_VERSION) {
		mlog(s, 1, LOG_ERR,
		     "Milter (%s): milter_negotiate: version %u != MTA milter version %d",
		     f->def.name, opt.version, MILTER_VERSION);
		ok = false;
	} else if ((opt.actions & ~(uint32_t)OFFER_ACTIONS) != 0) {
		mlog(s, 1, LOG_ERR,
		     "Milter (%s): milter_negotiate: filter abilities 0x%x != MTA milter abilities "
		     "0x%x",
		     f->def.name, opt.actions, OFFER_ACTIONS);
		ok = false;
	} else if ((opt.protocol & ~(uint32_t)(OFFER_PROTOCOL | SMFIP_MDS_256K | SMFIP_MDS_1M)) !=
	           0) {
		mlog(s, 1, LOG_ERR,
		     "Milter (%s): milter_negotiate: protocol abilities 0x%x != MTA milter "
		     "abilities 0x%x",
		     f->def.name, opt.protocol, OFFER_PROTOCOL);
		ok = false;
	}
	if (ok) {
		f->version = opt.version;
		f->actions = opt.actions;
		f->protocol = opt.protocol;
		for (int m = 0; m < MILTER_MACROS_COUNT; m++) {
			f->macros[m] = opt.macros[m];
			opt.macros[m] = NULL;
		}
		mlog(s, 10, LOG_INFO, "Milter (%s): version %u, flags 0x%x, proto 0x%x",
		     f->def.name, f->version, f->actions, f->protocol);
	}
	milter_optneg_free(&opt);
	return ok;
}

static enum milter_verdict open_filters(struct milter_session *s, struct milter_result *r)
{
	for (size_t i = 0; i < s->n; i++) {
		struct filter *f = &s->f[i];
		int rc;

		if (f->def.socket_error != NULL) {
			mlog(s, 1, LOG_ERR, "Milter (%s): %s", f->def.name, f->def.socket_error);
		} else if ((rc = milter_conn_open(&f->conn, &f->def)) < 0) {
			mlog(s, 1, LOG_ERR, "Milter (%s): error connecting to filter: %s",
			     f->def.name, strerror(-rc));
		} else {
			mlog(s, 10, LOG_INFO, "Milter (%s): init success to negotiate",
			     f->def.name);
			f->state = F_OPEN;
			if (negotiate(s, f)) {
				f->ever_open = true;
				continue;
			}
		}
		if (filter_failed(s, f, r) != MILTER_CONTINUE)
			return r->verdict;
	}
	memset(r, 0, sizeof(*r));
	return MILTER_CONTINUE;
}

/* --- the stages --- */

enum milter_verdict milter_connect(struct milter_session *s, const char *hostname,
                                   const struct sockaddr *addr, socklen_t addrlen,
                                   struct milter_result *result)
{
	struct milter_packet p;
	char buf[sizeof(((struct sockaddr_un *)0)->sun_path) + 1] = "";
	char family = 'U';
	uint16_t port = 0;
	enum milter_verdict v;

	memset(result, 0, sizeof(*result));
	if (s == NULL)
		return MILTER_CONTINUE;
	if (!s->connected) {
		s->connected = true;
		if (open_filters(s, result) != MILTER_CONTINUE) {
			log_verdict(s, SMFIC_CONNECT, hostname, result);
			return result->verdict;
		}
	}
	if (addr != NULL && addr->sa_family == AF_INET && addrlen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)addr;
		family = '4';
		port = ntohs(a->sin_port);
		inet_ntop(AF_INET, &a->sin_addr, buf, sizeof(buf));
	} else if (addr != NULL && addr->sa_family == AF_INET6 &&
	           addrlen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)addr;
		family = '6';
		port = ntohs(a->sin6_port);
		inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof(buf));
	} else if (addr != NULL && addr->sa_family == AF_UNIX) {
		family = 'L';
		snprintf(buf, sizeof(buf), "%s", ((const struct sockaddr_un *)addr)->sun_path);
	}
	milter_packet_begin(&p, SMFIC_CONNECT);
	milter_packet_str(&p, hostname ? hostname : "localhost");
	milter_packet_put(&p, &family, 1);
	if (family != 'U') {
		milter_packet_u16(&p, port);
		milter_packet_str(&p, buf);
	}
	v = run_stage(s, MILTER_MACROS_CONNECT, SMFIC_CONNECT, SMFIP_NOCONNECT, SMFIP_NR_CONN, 2,
	              &p, hostname, result);
	milter_packet_free(&p);
	return v;
}

static enum milter_verdict string_stage(struct milter_session *s, int stage, char cmd,
                                        uint32_t skip, uint32_t nr, uint32_t min_version,
                                        const char *const *argv, size_t argc, const char *arg,
                                        struct milter_result *result)
{
	struct milter_packet p;
	enum milter_verdict v;

	memset(result, 0, sizeof(*result));
	if (s == NULL)
		return MILTER_CONTINUE;
	milter_packet_begin(&p, cmd);
	for (size_t i = 0; i < argc && argv[i] != NULL; i++)
		milter_packet_str(&p, argv[i]);
	v = run_stage(s, stage, cmd, skip, nr, min_version, &p, arg, result);
	milter_packet_free(&p);
	return v;
}

enum milter_verdict milter_helo(struct milter_session *s, const char *helo,
                                struct milter_result *result)
{
	const char *argv[] = {helo ? helo : ""};
	return string_stage(s, MILTER_MACROS_HELO, SMFIC_HELO, SMFIP_NOHELO, SMFIP_NR_HELO, 2, argv,
	                    1, argv[0], result);
}

static size_t count(char *const *argv)
{
	size_t n = 0;
	while (argv != NULL && argv[n] != NULL)
		n++;
	return n;
}

enum milter_verdict milter_envfrom(struct milter_session *s, char *const *argv,
                                   struct milter_result *result)
{
	/* a new transaction: filters that accepted the last one are back */
	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (s->f[i].state == F_MSG_DONE)
			s->f[i].state = F_OPEN;
	return string_stage(s, MILTER_MACROS_ENVFROM, SMFIC_MAIL, SMFIP_NOMAIL, SMFIP_NR_MAIL, 2,
	                    (const char *const *)argv, count(argv), argv ? argv[0] : NULL, result);
}

enum milter_verdict milter_envrcpt(struct milter_session *s, char *const *argv,
                                   struct milter_result *result)
{
	return string_stage(s, MILTER_MACROS_ENVRCPT, SMFIC_RCPT, SMFIP_NORCPT, SMFIP_NR_RCPT, 2,
	                    (const char *const *)argv, count(argv), argv ? argv[0] : NULL, result);
}

enum milter_verdict milter_data(struct milter_session *s, struct milter_result *result)
{
	return string_stage(s, MILTER_MACROS_DATA, SMFIC_DATA, SMFIP_NODATA, SMFIP_NR_DATA, 4, NULL,
	                    0, NULL, result);
}

enum milter_verdict milter_unknown(struct milter_session *s, const char *line,
                                   struct milter_result *result)
{
	const char *argv[] = {line ? line : ""};
	return string_stage(s, -1, SMFIC_UNKNOWN, SMFIP_NOUNKNOWN, SMFIP_NR_UNKN, 3, argv, 1, NULL,
	                    result);
}

void milter_abort(struct milter_session *s)
{
	for (size_t i = 0; s != NULL && i < s->n; i++) {
		struct filter *f = &s->f[i];
		if (f->state == F_OPEN || f->state == F_MSG_DONE) {
			send_simple(f, SMFIC_ABORT);
			f->state = F_OPEN;
		}
	}
}

/* --- end of message --- */

struct eom_ctx {
	struct milter_session *s;
	struct envelope work; /* the message as the next filter sees it */
	size_t own_skip;
	int body_fd; /* the body the next filter gets */
	struct milter_mods *mods;
	struct milter_result *r;
	int new_body;    /* REPLBODY of the current filter, or -1 */
	bool cr_pending; /* its last byte was a CR */
};

enum step {
	STEP_NEXT,        /* go on with this filter */
	STEP_SKIP_BODY,   /* the filter wants no more body */
	STEP_FILTER_DONE, /* accepted, or failed without consequence: next filter */
	STEP_DECIDED,     /* c->r->verdict decides the message */
};

static enum step step_of(struct filter *f, enum answer a, const struct milter_result *r)
{
	if (a == ANS_SKIP)
		return STEP_SKIP_BODY;
	if (r->verdict != MILTER_CONTINUE)
		return STEP_DECIDED;
	return a == ANS_FAILED || f->state != F_OPEN ? STEP_FILTER_DONE : STEP_NEXT;
}

/* Send a packet and, unless the filter said it does not answer, read on. */
static enum step exchange(struct eom_ctx *c, struct filter *f, struct milter_packet *p, char cmd,
                          uint32_t noreply)
{
	struct milter_reply reply;

	if (!send_packet(c->s, f, p)) {
		filter_failed(c->s, f, c->r);
		return step_of(f, ANS_FAILED, c->r);
	}
	if (f->protocol & noreply)
		return STEP_NEXT;
	return step_of(f, read_answer(c->s, f, cmd, &reply, c->r), c->r);
}

static enum step send_headers(struct eom_ctx *c, struct filter *f)
{
	size_t i = 0;
	enum step st = STEP_NEXT;

	for (const struct env_header *h = c->work.headers; h != NULL && st == STEP_NEXT;
	     h = h->next, i++) {
		struct milter_packet p;
		const char *v = h->value;

		/* sendmail's own headers are not sent, hidden ones neither;
		 * one a filter inserted among them is */
		if ((i < c->own_skip && !h->filter_added) || h->value == NULL)
			continue;
		if (!(f->protocol & SMFIP_HDR_LEADSPC))
			v += strspn(v, " \t");
		milter_packet_begin(&p, SMFIC_HEADER);
		milter_packet_str(&p, h->name);
		milter_packet_str(&p, v);
		st = exchange(c, f, &p, SMFIC_HEADER, SMFIP_NR_HDR);
		milter_packet_free(&p);
	}
	return st;
}

static enum step send_chunk(struct eom_ctx *c, struct filter *f, struct strbuf *chunk)
{
	struct milter_packet p;
	enum step st;

	milter_packet_begin(&p, SMFIC_BODY);
	milter_packet_put(&p, chunk->s, chunk->len);
	st = exchange(c, f, &p, SMFIC_BODY, SMFIP_NR_BODY);
	milter_packet_free(&p);
	sb_reset(chunk);
	return st;
}

/* The body with CRLF line ends, in chunks of at most MILTER_CHUNK_SIZE. */
static enum step send_body(struct eom_ctx *c, struct filter *f)
{
	char buf[16384];
	struct strbuf chunk = STRBUF_INIT;
	enum step st = STEP_NEXT;
	off_t off = 0;
	ssize_t n;

	while (st == STEP_NEXT && (n = pread(c->body_fd, buf, sizeof(buf), off)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			mlog(c->s, 1, LOG_ERR, "Milter (%s): reading the body: %s", f->def.name,
			     strerror(errno));
			c->r->verdict = MILTER_TEMPFAIL;
			st = STEP_DECIDED;
			break;
		}
		off += n;
		for (ssize_t i = 0; i < n && st == STEP_NEXT; i++) {
			if (buf[i] == '\n')
				sb_putc(&chunk, '\r');
			sb_putc(&chunk, buf[i]);
			if (chunk.len >= MILTER_CHUNK_SIZE - 1)
				st = send_chunk(c, f, &chunk);
		}
	}
	if (st == STEP_NEXT && chunk.len > 0)
		st = send_chunk(c, f, &chunk);
	sb_free(&chunk);
	return st == STEP_SKIP_BODY ? STEP_NEXT : st;
}

static int temp_file(const char *dir)
{
	char path[4096];
	int fd = open(dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != ENOENT))
		return fd < 0 ? -errno : fd;
	snprintf(path, sizeof(path), "%s/milterXXXXXX", dir ? dir : "/tmp");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

/* REPLBODY data: CRLF becomes LF, as in a df. */
static bool body_append(struct eom_ctx *c, const char *data, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	bool ok = true;

	if (c->new_body < 0) {
		c->new_body = temp_file(c->s->cfg.tmpdir);
		c->cr_pending = false;
		if (c->new_body < 0)
			return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (c->cr_pending && data[i] != '\n')
			sb_putc(&out, '\r');
		c->cr_pending = data[i] == '\r';
		if (!c->cr_pending)
			sb_putc(&out, data[i]);
	}
	for (size_t off = 0; off < out.len && ok;) {
		ssize_t w = write(c->new_body, out.s + off, out.len - off);
		if (w < 0 && errno != EINTR)
			ok = false;
		off += w > 0 ? (size_t)w : 0;
	}
	sb_free(&out);
	return ok;
}

/* The header a CHGHEADER means in the working copy, as modify.c finds it. */
static const struct env_header *changed_header(const struct eom_ctx *c, const struct milter_mod *d)
{
	size_t i = 0;
	uint32_t seen = 0;

	for (const struct env_header *h = c->work.headers; h != NULL; h = h->next, i++)
		if (i >= c->own_skip && strcasecmp(h->name, d->str) == 0 &&
		    ++seen >= (d->index ? d->index : 1))
			return h;
	return NULL;
}

static size_t count_rcpts(const struct envelope *e)
{
	size_t n = 0;

	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		n++;
	return n;
}

/* A header change in sendmail 8.17.1's words, with the value it replaces
 * (as stored, its leading space included; "<NULL>" for a deleted one). */
static void log_header_change(struct eom_ctx *c, const char *name, const struct milter_mod *d)
{
	const struct env_header *h = changed_header(c, d);
	const char *old = h != NULL && h->value != NULL ? h->value : "<NULL>";

	if (d->str2 != NULL && *d->str2 != '\0' && h == NULL)
		mlog(c->s, 9, LOG_INFO, "Milter (%s) change (add): header: %s: %s", name, d->str,
		     d->str2);
	else if (d->str2 != NULL && *d->str2 != '\0')
		mlog(c->s, 9, LOG_INFO, "Milter (%s) change: header %s: from %s to %s", name,
		     d->str, old, d->str2);
	else if (h != NULL)
		mlog(c->s, 9, LOG_INFO, "Milter (%s) delete: header %s:%s", name, d->str, old);
}

/*
 * Apply one change to the working copy as it arrives, as sendmail does to
 * its envelope (so a filter's second change sees its first), and log it
 * in sendmail 8.17.1's words.
 */
static void apply_and_log(struct eom_ctx *c, const char *name, struct milter_mod *d)
{
	size_t before = count_rcpts(&c->work);

	switch (d->type) {
	case MOD_ADD_HEADER:
		mlog(c->s, 9, LOG_INFO, "Milter (%s) add: header: %s: %s", name, d->str, d->str2);
		break;
	case MOD_INS_HEADER:
		mlog(c->s, 9, LOG_INFO, "Milter (%s) insert (%u): header: %s: %s", name, d->index,
		     d->str, d->str2);
		break;
	case MOD_CHG_HEADER:
		log_header_change(c, name, d);
		break;
	case MOD_ADD_RCPT:
		mlog(c->s, 9, LOG_INFO, "Milter (%s) add: rcpt: %s", name, d->str);
		break;
	case MOD_CHG_FROM:
		mlog(c->s, 9, LOG_INFO, "Milter (%s) chgfrom: %s", name, d->str);
		break;
	case MOD_QUARANTINE:
		mlog(c->s, 3, LOG_INFO, "milter=%s, quarantine=%s", name, d->str);
		break;
	case MOD_DEL_RCPT:
		break;
	}
	milter_apply_list(d, &c->work, &c->own_skip);
	if (d->type == MOD_DEL_RCPT)
		mlog(c->s, 9, LOG_INFO, "Milter (%s) delete: rcpt %s, naddrs=%zu", name, d->str,
		     before - count_rcpts(&c->work));
}

static bool record_mod(struct eom_ctx *c, struct filter *f, const struct milter_reply *m)
{
	static const struct {
		char cmd;
		enum milter_mod_type type;
		uint32_t action;
	} map[] = {
	    {SMFIR_ADDHEADER, MOD_ADD_HEADER, SMFIF_ADDHDRS},
	    {SMFIR_INSHEADER, MOD_INS_HEADER, SMFIF_ADDHDRS},
	    {SMFIR_CHGHEADER, MOD_CHG_HEADER, SMFIF_CHGHDRS},
	    {SMFIR_ADDRCPT, MOD_ADD_RCPT, SMFIF_ADDRCPT},
	    {SMFIR_ADDRCPT_PAR, MOD_ADD_RCPT, SMFIF_ADDRCPT_PAR},
	    {SMFIR_DELRCPT, MOD_DEL_RCPT, SMFIF_DELRCPT},
	    {SMFIR_CHGFROM, MOD_CHG_FROM, SMFIF_CHGFROM},
	    {SMFIR_QUARANTINE, MOD_QUARANTINE, SMFIF_QUARANTINE},
	    {SMFIR_REPLBODY, MOD_QUARANTINE, SMFIF_CHGBODY},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].cmd != m->cmd)
			continue;
		if (!(f->actions & map[i].action))
			mlog(c->s, 10, LOG_INFO,
			     "milter_data(%s): lied about action '%c', honoring request anyway",
			     f->def.name, m->cmd);
		if (m->cmd == SMFIR_REPLBODY && c->new_body < 0)
			mlog(c->s, 9, LOG_INFO, "Milter (%s) message: body replaced", f->def.name);
		if (m->cmd == SMFIR_REPLBODY)
			return body_append(c, m->body, m->body_len);
		struct milter_mod *d =
		    milter_mods_add(c->mods, map[i].type, m->index, m->str, m->str2, f->def.name);
		d->leadspc = (f->protocol & SMFIP_HDR_LEADSPC) != 0;
		apply_and_log(c, f->def.name, d);
		return true;
	}
	return false;
}

/* End of message to one filter and its answers up to the final one. */
static enum step send_eom(struct eom_ctx *c, struct filter *f)
{
	struct milter_packet p;
	struct milter_reply reply;
	enum answer a;
	bool ok;

	milter_packet_begin(&p, SMFIC_BODYEOB);
	ok = send_macros(c->s, f, MILTER_MACROS_EOM) && send_packet(c->s, f, &p);
	milter_packet_free(&p);
	if (!ok) {
		filter_failed(c->s, f, c->r);
		return step_of(f, ANS_FAILED, c->r);
	}
	if (f->def.timeout_ms[MILTER_TO_EOM] > 0)
		f->eom_deadline = now_ms() + f->def.timeout_ms[MILTER_TO_EOM];
	while ((a = read_answer(c->s, f, SMFIC_BODYEOB, &reply, c->r)) == ANS_MOD) {
		if (!record_mod(c, f, &reply)) {
			mlog(c->s, 1, LOG_ERR, "Milter (%s): cannot record a change: %s",
			     f->def.name, strerror(errno));
			filter_failed(c->s, f, c->r);
			a = ANS_FAILED;
			break;
		}
	}
	f->eom_deadline = 0;
	return step_of(f, a, c->r);
}

static enum step filter_message(struct eom_ctx *c, struct filter *f)
{
	enum step st = STEP_NEXT;

	if (!(f->protocol & SMFIP_NOHDRS))
		st = send_headers(c, f);
	if (st == STEP_NEXT && !(f->protocol & SMFIP_NOEOH)) {
		struct milter_packet p;
		milter_packet_begin(&p, SMFIC_EOH);
		if (send_macros(c->s, f, MILTER_MACROS_EOH))
			st = exchange(c, f, &p, SMFIC_EOH, SMFIP_NR_EOH);
		else
			st = step_of(f, (filter_failed(c->s, f, c->r), ANS_FAILED), c->r);
		milter_packet_free(&p);
	}
	if (st == STEP_NEXT && !(f->protocol & SMFIP_NOBODY))
		st = send_body(c, f);
	if (st == STEP_NEXT)
		st = send_eom(c, f);
	return st;
}

static void copy_envelope(const struct envelope *e, struct envelope *w)
{
	envelope_init(w);
	for (const struct env_header *h = e->headers; h != NULL; h = h->next) {
		struct env_header *c = envelope_add_header(w, h->name, h->value, h->cond);
		c->filter_added = h->filter_added;
		if (h->value == NULL) { /* a hidden one keeps its place */
			free(c->value);
			c->value = NULL;
		}
	}
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		envelope_add_rcpt(w, r->addr, r->flags);
	envelope_set(&w->sender, e->sender);
}

enum milter_verdict milter_eom(struct milter_session *s, const struct envelope *e, size_t own_skip,
                               int df_fd, struct milter_mods *mods, struct milter_result *result)
{
	struct eom_ctx c = {.s = s,
	                    .own_skip = own_skip,
	                    .body_fd = df_fd,
	                    .mods = mods,
	                    .r = result,
	                    .new_body = -1};

	memset(result, 0, sizeof(*result));
	milter_mods_init(mods);
	if (s == NULL)
		return MILTER_CONTINUE;
	copy_envelope(e, &c.work);
	for (size_t i = 0; i < s->n; i++) {
		struct filter *f = &s->f[i];
		enum step st;

		if (f->state == F_ERROR && fail_verdict(f, result) != MILTER_CONTINUE)
			break;
		if (f->state != F_OPEN)
			continue;
		st = filter_message(&c, f);
		if (st == STEP_DECIDED) {
			if (c.new_body >= 0)
				close(c.new_body);
			break;
		}
		/* what this filter changed (c.work, as it arrived) is what
		 * the next one sees, its body too */
		if (c.new_body >= 0) {
			if (mods->body_fd >= 0)
				close(mods->body_fd);
			mods->body_fd = c.body_fd = c.new_body;
			c.new_body = -1;
		}
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->f[i].state == F_MSG_DONE)
			s->f[i].state = F_OPEN;
	envelope_free(&c.work);
	log_verdict(s, SMFIC_BODYEOB, NULL, result);
	if (result->verdict == MILTER_CONTINUE && mods->body_fd >= 0) {
		struct stat st;
		if (fstat(mods->body_fd, &st) == 0)
			mods->body_size = st.st_size;
	}
	return result->verdict;
}

/* --- replies for the SMTP layer --- */

/* "553-5.1.3 text" becomes "553-5.1.3 <a@b>... text": sendmail puts the
 * address after the codes of the first line. */
static void put_with_addr(struct strbuf *out, const char *reply, const char *addr)
{
	size_t n = strspn(reply, "0123456789");

	if (n == 3 && (reply[3] == ' ' || reply[3] == '-')) {
		n = 4;
		size_t x = strspn(reply + n, "0123456789.");
		if (x > 0 && reply[n + x] == ' ')
			n += x + 1;
	} else {
		n = 0;
	}
	sb_put(out, reply, n);
	sb_printf(out, "%s... %s", addr, reply + n);
}

void milter_smtp_reply(const struct milter_session *s, const struct milter_result *result,
                       enum milter_stage stage, const char *addr, struct strbuf *out)
{
	bool with_addr = addr != NULL && (stage == MILTER_STAGE_MAIL || stage == MILTER_STAGE_RCPT);
	const char *text;

	switch (result->verdict) {
	case MILTER_REJECT:
		text = stage == MILTER_STAGE_CONNECT ? "550 5.0.0 Command rejected"
		       : stage == MILTER_STAGE_EOM   ? "554 5.7.1 Command rejected"
		                                     : "550 5.7.1 Command rejected";
		break;
	case MILTER_TEMPFAIL:
		text = "451 4.3.2 Please try again later";
		with_addr = false;
		break;
	case MILTER_SHUTDOWN: {
		const char *j = s && s->cfg.macro ? s->cfg.macro(s->cfg.macro_arg, "j") : NULL;
		if (result->reply == NULL) {
			sb_printf(out, "421 4.7.0 %s closing connection", j ? j : "localhost");
			return;
		}
		text = NULL;
		break;
	}
	default:
		return;
	}
	if (result->reply != NULL)
		text = result->reply;
	if (with_addr)
		put_with_addr(out, text, addr);
	else
		sb_puts(out, text);
}

const char *milter_env_macro(void *arg, const char *name)
{
	struct milter_env_macros *m = arg;
	int id = macro_id_find(m->cf, name);
	const char *v = id ? macro_get(m->env, id) : NULL;

	if (v == NULL)
		return NULL;
	sb_reset(m->scratch);
	macro_expand(m->cf, m->env, v, m->scratch);
	return sb_str(m->scratch);
}
