/*
 * deliver: a delivery attempt of one envelope (deliver.h).
 */
#include "deliver/deliver.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "deliver/clientauth.h"
#include "deliver/hoststat.h"
#include "deliver/mxroute.h"
#include "deliver/progmailer.h"
#include "deliver/tlspolicy.h"
#include "dns/tlsa.h"
#include "log/events.h"
#include "msg/envelope.h"
#include "msg/headers.h"
#include "msg/mime8to7.h"
#include "msg/putheader.h"
#include "rules/parseaddr.h"
#include "rules/recipient.h"
#include "sasl/saslw.h"
#include "smtp/client.h"
#include "smtp/ehlo.h"
#include "stats/stats.h"
#include "tls/tls.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* One SMTP connection, possibly kept in the cache between attempts. */
struct conn {
	struct smtp_client *c;
	struct tls_context *tls;
	const struct mailer *m;
	char *host;
	unsigned port;
	time_t lastuse;
	int slot;                /* its place in the cache, -1 when not cached */
	unsigned long announced; /* the attempt whose transcript named this host */
	FILE *verbose;           /* where the -v dialogue goes now */
	/* commands sent and not answered yet, oldest first, '\n' after each */
	struct strbuf pending;
	struct strbuf cur_reply;
	char *last_cmd;           /* the command of the last complete reply, or NULL */
	struct strbuf last_reply; /* that reply's lines, '\n' between them */
	bool authenticated;       /* SMTP AUTH succeeded (AuthOptions A) */
};

struct deliver_cache {
	int max;
	struct conn **slot;
	unsigned long attempts;
	struct pm_cache *lmtp;      /* a running LMTP mailer (progmailer.h) */
	struct hoststat_mem *hosts; /* hosts found down by this process */
};

/*
 * A resolved recipient and where its result goes: the queue entry's
 * recipient (R line) itself, or a member node of its own when an alias,
 * :include: or .forward of that recipient named it.
 */
struct target {
	struct env_rcpt *er;
	struct recipient *r;
	bool handled;
};

struct attempt {
	struct cf *cf;
	struct macro_env *env;
	struct envelope *e;
	int dffd;
	const struct deliver_opts *o;
	struct deliver_outcome *out;
	struct rw_ctx ctx;
	struct pool pool;
	unsigned long id;   /* tells transcripts of different attempts apart */
	const char *mailer; /* the group's mailer, for the log */
	const char *host;   /* the group's host as the mailer got it */
	char peer[64];      /* the address connected to, "": none (a copy: the
	                     * client may be gone when the outcome is logged) */
	time_t start;       /* when the group's attempt started (xdelay) */

	/* for program and file mailers (progmailer.h) */
	const struct address *from; /* the envelope sender, resolved */
	const char *ctladdr;        /* the to= line's ctladdr= when set */
	bool no_xdelay;             /* the to= line has no xdelay= (refused
	                             * while expanding: no mailer was run) */
};

/* Where in the dialogue a reply came (sendmail maps codes per command). */
enum phase { PH_GREETING, PH_MAIL, PH_RCPT, PH_DATA };

/* ---- the connection's dialogue ------------------------------------------ */

static char *pop_pending(struct strbuf *sb)
{
	const char *s = sb_str(sb);
	const char *nl = strchr(s, '\n');
	char *cmd;

	if (nl == NULL)
		return NULL;
	cmd = xstrndup(s, (size_t)(nl - s));
	memmove(sb->s, nl + 1, sb->len - (size_t)(nl + 1 - s) + 1);
	sb->len -= (size_t)(nl + 1 - s);
	return cmd;
}

/* The client's transcript hook: -v output, and which command each reply answers. */
static void conn_line(void *arg, bool from_client, const char *line)
{
	struct conn *k = arg;

	if (k->verbose != NULL) {
		fprintf(k->verbose, "%s%s\n", from_client ? ">>> " : "", line);
		fflush(k->verbose);
	}
	if (from_client) {
		sb_printf(&k->pending, "%s\n", line);
		return;
	}
	if (k->cur_reply.len > 0)
		sb_putc(&k->cur_reply, '\n');
	sb_puts(&k->cur_reply, line);
	if (strlen(line) > 3 && line[3] == '-')
		return;
	free(k->last_cmd);
	k->last_cmd = pop_pending(&k->pending);
	sb_reset(&k->last_reply);
	sb_puts(&k->last_reply, sb_str(&k->cur_reply));
	sb_reset(&k->cur_reply);
}

static struct conn *conn_new(struct attempt *a, const struct mailer *m, const char *host,
                             unsigned port)
{
	struct conn *k = xcalloc(1, sizeof(*k));
	struct smtp_client_opts co = {0};
	struct strbuf j = STRBUF_INIT;
	const char *helo = a->cf->opt.str[OPT_HeloName];

	macro_expand(a->cf, a->env, helo ? helo : macro_get(a->env, 'j'), &j);
	co.helo_name = sb_str(&j);
	smtp_timeouts_from_options(&co.timeouts, &a->cf->opt);
	co.transcript = conn_line;
	co.transcript_arg = k;
	k->c = smtp_client_new(&co);
	k->m = m;
	k->host = xstrdup(host);
	k->port = port;
	k->verbose = a->o->transcript;
	k->slot = -1;
	sb_free(&j);
	return k;
}

static void conn_free(struct conn *k)
{
	if (k == NULL)
		return;
	if (k->c != NULL)
		smtp_client_free(k->c);
	if (k->tls != NULL)
		tls_context_free(k->tls);
	free(k->host);
	free(k->last_cmd);
	sb_free(&k->pending);
	sb_free(&k->cur_reply);
	sb_free(&k->last_reply);
	free(k);
}

/* "Closing connection to HOST", QUIT (unless the server is gone), freed. */
static void conn_close(struct conn *k, FILE *verbose, const char *prefix)
{
	if (verbose != NULL) {
		fprintf(verbose, "%s%sClosing connection to %s\n", prefix ? prefix : "",
		        prefix ? "... " : "", k->host);
		fflush(verbose);
	}
	k->verbose = verbose;
	if (k->c != NULL)
		smtp_quit(k->c);
	conn_free(k);
}

/* ---- the cache ------------------------------------------------------------ */

struct deliver_cache *deliver_cache_new(const struct cf *cf)
{
	struct deliver_cache *dc = xcalloc(1, sizeof(*dc));
	long n = cf->opt.num[OPT_ConnectionCacheSize];

	dc->max = n > 0 ? (int)(n < 64 ? n : 64) : 0;
	dc->slot = xcalloc((size_t)dc->max + 1, sizeof(*dc->slot));
	if (dc->max > 0)
		dc->lmtp = progmailer_cache_new();
	return dc;
}

void deliver_cache_close(struct deliver_cache *dc, FILE *transcript)
{
	if (dc == NULL)
		return;
	for (int i = dc->max - 1; i >= 0; i--)
		if (dc->slot[i] != NULL)
			conn_close(dc->slot[i], transcript, NULL);
	progmailer_cache_close(dc->lmtp, transcript);
	hoststat_mem_free(dc->hosts);
	free(dc->slot);
	free(dc);
}

/* A live cached connection to that host, left in its slot. */
static struct conn *cache_find(struct deliver_cache *dc, const struct mailer *m, const char *host,
                               unsigned port)
{
	for (int i = 0; dc != NULL && i < dc->max; i++) {
		struct conn *k = dc->slot[i];
		if (k != NULL && k->c != NULL && k->m == m && k->port == port &&
		    strcasecmp(k->host, host) == 0)
			return k;
	}
	return NULL;
}

static void cache_drop(struct deliver_cache *dc, struct conn *k)
{
	if (dc != NULL && k->slot >= 0)
		dc->slot[k->slot] = NULL;
	k->slot = -1;
}

/*
 * A slot for the new connection `k`: connections whose server went away
 * are cleared out first; when the cache is full, the least recently used
 * connection (the later slot among equals, as sendmail picks) is closed.
 * Both are announced with the names of the group that needs the room.
 */
static void cache_place(struct attempt *a, struct conn *k, const char *names)
{
	struct deliver_cache *dc = a->o->cache;
	int victim = -1;

	if (dc == NULL || dc->max == 0)
		return;
	for (int i = 0; i < dc->max; i++)
		if (dc->slot[i] != NULL && dc->slot[i]->c == NULL) {
			conn_close(dc->slot[i], a->o->transcript, names);
			dc->slot[i] = NULL;
		}
	for (int i = 0; i < dc->max && victim < 0; i++)
		if (dc->slot[i] == NULL)
			victim = i;
	if (victim < 0) {
		for (int i = 0; i < dc->max; i++)
			if (victim < 0 || dc->slot[i]->lastuse <= dc->slot[victim]->lastuse)
				victim = i;
		conn_close(dc->slot[victim], a->o->transcript, names);
	}
	dc->slot[victim] = k;
	k->slot = victim;
}

/* ---- the session transcript of the envelope --------------------------- */

__attribute__((format(printf, 2, 3))) static void xs_line(struct attempt *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&a->e->transcript, fmt, ap);
	va_end(ap);
	sb_putc(&a->e->transcript, '\n');
}

/* The exchange that went wrong: ">>> command" and "<<< reply". */
static void xs_exchange(struct attempt *a, struct conn *k)
{
	const char *p = sb_str(&k->last_reply);

	if (k->announced != a->id) {
		xs_line(a, "... while talking to %s:", k->host);
		k->announced = a->id;
	}
	if (k->last_cmd != NULL)
		xs_line(a, ">>> %s", k->last_cmd);
	while (*p) {
		size_t n = strcspn(p, "\n");
		xs_line(a, "<<< %.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* ---- the log ------------------------------------------------------------------ */

/*
 * The account of an envelope sender that resolves to a user of a local
 * mailer (F=l), as sendmail 8.17.1 names the controlling user of a
 * message that has none of its own: taken by SMTP (-bs, the daemon) from
 * <root@this.host> and delivered later, its to= lines say
 * "ctladdr=<root@this.host> (0/0)".
 */
static struct passwd *local_sender(const struct attempt *a)
{
	const struct address *f = a->from;

	if (f == NULL || f->mailer == NULL || f->user == NULL || *f->user == '\0' ||
	    !mailer_has_flag(f->mailer, 'l'))
		return NULL;
	return getpwnam(f->user);
}

/*
 * "root (0/0)": the user who submitted the message, as sendmail's MSP logs
 * it for every recipient (not the qf's per-recipient C lines); in the
 * submitting command a sender given with -f is the real user's too.
 */
static void ctladdr_text(const struct attempt *a, struct strbuf *sb)
{
	const char *c = a->e->sender;
	struct passwd *pw;

	if (a->ctladdr != NULL) {
		sb_puts(sb, a->ctladdr);
		return;
	}
	if (c == NULL || *c == '\0')
		return;
	if (strchr(c, '@') != NULL || strchr(c, '<') != NULL) {
		if (a->o->submitted)
			pw = getpwuid(getuid());
		else /* a queue run or the MTA: a sender that is a local user */
			pw = local_sender(a);
		if (pw != NULL)
			sb_printf(sb, "%s (%lu/%lu)", c, (unsigned long)pw->pw_uid,
			          (unsigned long)pw->pw_gid);
		return;
	}
	pw = getpwnam(c);
	if (pw != NULL)
		sb_printf(sb, "%s (%lu/%lu)", c, (unsigned long)pw->pw_uid,
		          (unsigned long)pw->pw_gid);
}

/* "[127.0.0.1] [127.0.0.1]": the host, then the address reached. */
static void relay_text(const struct attempt *a, struct strbuf *sb)
{
	const char *addr = a->peer;
	size_t n = strlen(a->host);

	sb_puts(sb, a->host);
	if ((addr == NULL || *addr == '\0') && a->host[0] == '[' && a->host[n - 1] == ']') {
		sb_printf(sb, " %s", a->host);
		return;
	}
	if (addr != NULL && *addr != '\0')
		sb_printf(sb, " [%s]", addr);
}

/* "4.3.0" from "450 4.3.0 text"; `fallback` when the reply has none. */
static void reply_dsn(const char *reply, const char *fallback, char *out, size_t size)
{
	const char *p = reply;
	size_t n;

	snprintf(out, size, "%s", fallback);
	if (!(isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	      isdigit((unsigned char)p[2]) && p[3] == ' '))
		return;
	p += 4;
	n = strspn(p, "0123456789.");
	if (n >= 5 && n < size && (p[n] == ' ' || p[n] == '\0') && p[1] == '.' &&
	    (p[0] == '2' || p[0] == '4' || p[0] == '5'))
		snprintf(out, size, "%.*s", (int)n, p);
}

static bool is_reply(const char *text)
{
	return isdigit((unsigned char)text[0]) && isdigit((unsigned char)text[1]) &&
	       isdigit((unsigned char)text[2]) && text[3] == ' ';
}

/* One to= entry for recipients of the current group. */
static void log_group(struct attempt *a, struct target **group, int n, enum log_to_kind kind,
                      const char *dsn, const char *reply, const char *stat)
{
	struct strbuf ctl = STRBUF_INIT, relay = STRBUF_INIT;
	const char **names;
	time_t now = time(NULL);
	struct log_to t = {0};

	if (a->o->log == NULL || n == 0)
		return;
	names = xcalloc((size_t)n, sizeof(*names));
	for (int i = 0; i < n; i++)
		names[i] = group[i]->r->printed;
	ctladdr_text(a, &ctl);
	if (a->host != NULL)
		relay_text(a, &relay);
	t.qid = a->e->id;
	t.kind = kind;
	t.rcpts = names;
	t.nrcpts = (size_t)n;
	t.ctladdr = ctl.len ? sb_str(&ctl) : NULL;
	t.delay = (long)(now - a->e->ctime);
	t.xdelay = a->no_xdelay ? -1 : (long)(now - (a->start ? a->start : now));
	t.mailer = a->mailer;
	t.pri = a->e->priority;
	t.relay = relay.len ? sb_str(&relay) : NULL;
	t.dsn = dsn;
	t.reply = reply;
	t.stat = stat;
	log_to(a->o->log, &t);
	free(names);
	sb_free(&ctl);
	sb_free(&relay);
}

/*
 * The address as sendmail's log shows it: IPv4 dotted, IPv6 as
 * "IPv6:0:0:0:0:0:0:0:1" (every group, none compressed).
 */
static void peer_text(const char *p, char *out, size_t size)
{
	struct in6_addr a6;

	if (p == NULL || strchr(p, ':') == NULL || inet_pton(AF_INET6, p, &a6) != 1) {
		snprintf(out, size, "%s", p != NULL ? p : "");
		return;
	}
	snprintf(out, size, "IPv6:%x:%x:%x:%x:%x:%x:%x:%x", a6.s6_addr[0] << 8 | a6.s6_addr[1],
	         a6.s6_addr[2] << 8 | a6.s6_addr[3], a6.s6_addr[4] << 8 | a6.s6_addr[5],
	         a6.s6_addr[6] << 8 | a6.s6_addr[7], a6.s6_addr[8] << 8 | a6.s6_addr[9],
	         a6.s6_addr[10] << 8 | a6.s6_addr[11], a6.s6_addr[12] << 8 | a6.s6_addr[13],
	         a6.s6_addr[14] << 8 | a6.s6_addr[15]);
}

static void set_peer(struct attempt *a, const struct conn *k)
{
	peer_text(k->c != NULL ? smtp_peer_addr(k->c) : NULL, a->peer, sizeof(a->peer));
}

/* ---- results ---------------------------------------------------------------- */

static void transcript_line(struct attempt *a, const char *line)
{
	if (a->o->transcript == NULL)
		return;
	fprintf(a->o->transcript, "%s\n", line);
	fflush(a->o->transcript);
}

static void note_deferral(struct attempt *a, const char *text)
{
	if (a->e->message == NULL || *a->e->message == '\0' ||
	    strncmp(a->e->message, "Deferred", 8) != 0)
		envelope_set(&a->e->message, text);
}

/* "root,nobody" — the addresses of a group as given, comma-joined. */
static void group_names(struct target **group, int n, struct strbuf *sb)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		sb_puts(sb, group[i]->r->printed);
	}
}

static void group_message(struct attempt *a, struct target **group, int n, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	if (a->o->transcript == NULL)
		return;
	group_names(group, n, &sb);
	fprintf(a->o->transcript, "%s... %s\n", sb_str(&sb), text);
	fflush(a->o->transcript);
	sb_free(&sb);
}

/* "DNS; [127.0.0.2]", "SMTP; 550 ..." as the mailer's T= types say. */
static char *typed(const char *type, const char *fallback, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "%s; %s", type && *type ? type : fallback, text);
	return sb_detach(&sb);
}

/* "DNS; mx1.example": a remote MTA's name without the root's dot. */
static char *typed_host(const char *type, const char *host)
{
	size_t n = strlen(host);
	struct strbuf sb = STRBUF_INIT;

	sb_printf(&sb, "%s; %.*s", type && *type ? type : "dns",
	          (int)(n > 1 && host[n - 1] == '.' ? n - 1 : n), host);
	return sb_detach(&sb);
}

/* Record what happened to a recipient for the DSN. */
static void set_result(struct target *t, enum rcpt_outcome o, const char *status,
                       const char *reason, const char *diag, const char *remote)
{
	struct rcpt_result *res = &t->er->result;
	const struct mailer *m = t->r->a.mailer;

	free(res->reason);
	free(res->diagnostic);
	free(res->remote_mta);
	res->outcome = o;
	snprintf(res->status, sizeof(res->status), "%s", status ? status : "");
	res->reason = reason ? xstrdup(reason) : NULL;
	res->diagnostic = diag ? typed(m ? m->diagtype : NULL, "smtp", diag) : NULL;
	res->remote_mta = remote ? typed_host(m ? m->mtatype : NULL, remote) : NULL;
	res->when = time(NULL);
}

/* Defer the group with sendmail's words `why`; `reply` (may be NULL) is
 * the server's reply the to= line quotes. */
static void defer_group_reply(struct attempt *a, struct target **group, int n, const char *why,
                              const char *dsn, const char *reply);

/* `dsn` NULL: the enhanced code of `why`, which is a server's reply. */
static void defer_group(struct attempt *a, struct target **group, int n, const char *why,
                        const char *dsn)
{
	defer_group_reply(a, group, n, why, dsn, is_reply(why) ? why : NULL);
}

static void defer_group_reply(struct attempt *a, struct target **group, int n, const char *why,
                              const char *dsn, const char *reply)
{
	struct strbuf msg = STRBUF_INIT, names = STRBUF_INIT;
	struct target **logged = xcalloc((size_t)n + 1, sizeof(*logged));
	char code[16];
	int nl = 0;

	sb_printf(&msg, "Deferred: %s", why);
	group_message(a, group, n, sb_str(&msg));
	group_names(group, n, &names);
	xs_line(a, "%s... %s", sb_str(&names), sb_str(&msg));
	note_deferral(a, sb_str(&msg));
	for (int i = 0; i < n; i++) {
		if (group[i]->handled)
			continue;
		group[i]->handled = true;
		a->out->deferred++;
		logged[nl++] = group[i];
	}
	if (dsn == NULL || *dsn == '\0')
		reply_dsn(why, "4.0.0", code, sizeof(code));
	else
		snprintf(code, sizeof(code), "%s", dsn);
	log_group(a, logged, nl, LOG_TO_DEFERRED, code, reply, sb_str(&msg));
	free(logged);
	sb_free(&msg);
	sb_free(&names);
}

/* Defer with the result of each recipient set as well. */
static void defer_with(struct attempt *a, struct target **group, int n, const char *why,
                       const char *status, const char *reason, const char *diag, const char *remote)
{
	for (int i = 0; i < n; i++)
		if (!group[i]->handled)
			set_result(group[i], RCPT_DEFERRED, status, reason, diag, remote);
	defer_group(a, group, n, why, status);
}

/* sendmail's exit status for a permanent refusal. */
static int refusal_exit(enum phase ph, int code)
{
	if (ph == PH_RCPT && (code == 550 || code == 551 || code == 553))
		return EX_NOUSER;
	if (ph == PH_MAIL && (code == 501 || code == 553))
		return EX_DATAERR;
	return EX_UNAVAILABLE;
}

/* sendmail's words for that status: its stat= and the text of its error line. */
static const char *refusal_words(int status)
{
	switch (status) {
	case EX_NOUSER:
		return "User unknown";
	case EX_DATAERR:
		return "Data format error";
	case EX_PROTOCOL:
		return "Remote protocol error";
	case EX_CONFIG:
		return "Local configuration error";
	default:
		return "Service unavailable";
	}
}

/* The line sendmail adds to the transcript for that status, and its text alone. */
static void refusal_text(int status, const char *addr, struct strbuf *coded, struct strbuf *bare)
{
	switch (status) {
	case EX_NOUSER:
		sb_printf(bare, "%s... %s", addr, refusal_words(status));
		sb_printf(coded, "550 5.1.1 %s", sb_str(bare));
		break;
	case EX_DATAERR:
		sb_puts(bare, refusal_words(status));
		sb_printf(coded, "501 5.6.0 %s", sb_str(bare));
		break;
	default:
		sb_puts(bare, refusal_words(status));
		sb_printf(coded, "554 5.0.0 %s", sb_str(bare));
		break;
	}
}

struct code_status {
	int code;
	const char *status;
};

static const char *lookup_status(const struct code_status *t, int code, const char *dflt)
{
	for (; t->code; t++)
		if (t->code == code)
			return t->status;
	return dflt;
}

/* The RFC 3463 code sendmail gives a refused or deferred command. */
static void reply_status(enum phase ph, int code, const char *enhanced, char out[16])
{
	static const struct code_status rcpt5[] = {
	    {500, "5.5.2"}, {501, "5.5.4"}, {502, "5.5.1"}, {503, "5.5.1"}, {504, "5.5.4"},
	    {550, "5.1.1"}, {551, "5.1.6"}, {552, "5.2.2"}, {553, "5.1.3"}, {0, NULL}};
	static const struct code_status mail5[] = {
	    {501, "5.5.2"}, {552, "5.3.4"}, {553, "5.1.3"}, {0, NULL}};
	static const struct code_status rcpt4[] = {
	    {450, "4.2.0"}, {451, "4.3.0"}, {452, "4.3.1"}, {0, NULL}};
	static const struct code_status mail4[] = {
	    {421, "4.2.0"}, {450, "4.2.0"}, {451, "4.3.0"}, {452, "4.3.1"}, {0, NULL}};
	bool perm = code / 100 == 5;
	const char *s;

	if (ph == PH_DATA || ph == PH_GREETING)
		s = perm ? "5.5.0" : "4.2.0";
	else if (enhanced != NULL && enhanced[0] == (perm ? '5' : '4'))
		s = enhanced;
	else if (ph == PH_RCPT)
		s = lookup_status(perm ? rcpt5 : rcpt4, code, perm ? "5.0.0" : "4.0.0");
	else
		s = lookup_status(perm ? mail5 : mail4, code, perm ? "5.0.0" : "4.0.0");
	snprintf(out, 16, "%s", s);
}

/* The last line of the last reply as sendmail quotes it: "550 5.1.1 text". */
static void quote_last_reply(const struct smtp_client *c, struct strbuf *out)
{
	const struct smtp_reply *r = smtp_last_reply(c);
	const char *t = sb_str(&r->text);
	const char *nl = strrchr(t, '\n');
	sb_printf(out, "%d %s", r->code, nl ? nl + 1 : t);
}

/*
 * A permanent failure of one recipient, logged with `log_dsn` and
 * `log_reply` (where sendmail's to= line says other than its DSN).
 */
static void fail_target_logged(struct attempt *a, struct target *t, const char *status,
                               const char *reason, const char *diag, const char *remote,
                               int exit_status, const char *log_dsn, const char *log_reply)
{
	t->handled = true;
	t->er->done = true;
	a->out->failed++;
	if (a->out->status == 0)
		a->out->status = exit_status;
	set_result(t, RCPT_FAILED, status, reason, diag, remote);
	/* the envelope's last error, which a DSN's log line quotes */
	envelope_set(&a->e->message, refusal_words(exit_status));
	log_group(a, &t, 1, LOG_TO_FAILED, log_dsn, log_reply, refusal_words(exit_status));
}

/* A permanent failure of one recipient. */
static void fail_target(struct attempt *a, struct target *t, const char *status, const char *reason,
                        const char *diag, const char *remote, int exit_status)
{
	fail_target_logged(a, t, status, reason, diag, remote, exit_status, status,
	                   reason != NULL && is_reply(reason) ? reason : NULL);
}

/* The error line of a refusal in the transcript, and on -v for queue runs. */
static void refusal_note(struct attempt *a, int exit_status, const char *addr)
{
	struct strbuf coded = STRBUF_INIT, bare = STRBUF_INIT;
	refusal_text(exit_status, addr, &coded, &bare);
	xs_line(a, "%s", sb_str(&coded));
	if (a->o->show_failures)
		transcript_line(a, sb_str(&bare));
	sb_free(&coded);
	sb_free(&bare);
}

/* Host and port of an [IPC] mailer: A=TCP $h [port]. */
static unsigned mailer_port(struct cf *cf, const struct mailer *m)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned port = 25;
	if (m->argv[0] && m->argv[1] && m->argv[2]) {
		macro_expand(cf, &cf->macros, m->argv[2], &sb);
		if (atoi(sb_str(&sb)) > 0)
			port = (unsigned)atoi(sb_str(&sb));
	}
	sb_free(&sb);
	return port;
}

static unsigned notify_bits(const char *flags)
{
	unsigned n = 0;
	if (strchr(flags, RCPT_NOTIFY_SUCCESS))
		n |= SMTP_NOTIFY_SUCCESS;
	if (strchr(flags, RCPT_NOTIFY_FAILURE))
		n |= SMTP_NOTIFY_FAILURE;
	if (strchr(flags, RCPT_NOTIFY_DELAY))
		n |= SMTP_NOTIFY_DELAY;
	if (strchr(flags, 'N') && n == 0)
		n = SMTP_NOTIFY_NEVER;
	/* without an explicit NOTIFY, sendmail sends none */
	return strchr(flags, 'N') ? n : 0;
}

static bool body_has_8bit(struct attempt *a)
{
	char buf[8192];
	ssize_t n;
	lseek(a->dffd, 0, SEEK_SET);
	while ((n = read(a->dffd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			if ((unsigned char)buf[i] >= 0x80)
				return true;
	return false;
}

/*
 * BODY= as sendmail sends it: only for a body type given with -B (or
 * BODY= on the way in), and 8BITMIME only when the body really has
 * 8-bit bytes.
 */
static enum smtp_body body_parameter(struct attempt *a)
{
	const char *t = a->e->bodytype;
	if (t == NULL)
		return SMTP_BODY_UNSPEC;
	if (strcasecmp(t, "8BITMIME") == 0)
		return body_has_8bit(a) ? SMTP_BODY_8BITMIME : SMTP_BODY_7BIT;
	if (strcasecmp(t, "7BIT") == 0)
		return SMTP_BODY_7BIT;
	return SMTP_BODY_UNSPEC;
}

/*
 * sendmail's rule for a server without 8BITMIME (or a mailer with F=7,
 * whatever the server says) and a mailer without F=8: an 8-bit body is
 * converted to 7 bits when EightBitMode is not pass8, or the message is
 * MIME (MIME-Version), or its body type is 8BITMIME; otherwise it goes as
 * it is.
 */
static bool needs_8to7(struct attempt *a, struct conn *k)
{
	const char *t = a->e->bodytype;
	bool has8 = smtp_extensions(k->c)->flags & EXT_8BITMIME;

	if ((has8 && !mailer_has_flag(k->m, '7')) || mailer_has_flag(k->m, '8'))
		return false;
	if (!body_has_8bit(a))
		return false;
	if (a->cf->opt.num[OPT_EightBitMode] != 'p' || header_find(a->e, "MIME-Version") != NULL)
		return true;
	return t != NULL && strcasecmp(t, "8BITMIME") == 0;
}

/*
 * The message converted to 7 bits (msg/mime8to7), or with F=7 and nothing
 * to convert only stripped to 7 bits, into a temporary file, then sent.
 * F=7 strips the headers only when the server has no 8BITMIME, as
 * sendmail does.
 */
static int data_8to7(struct attempt *a, struct conn *k, const struct strbuf *hdr, FILE *body,
                     bool convert)
{
	struct mime8to7 opt = {macro_get(a->env, 'j'), a->e->id,
	                       a->cf->opt.str[OPT_DefaultCharSet], false};
	FILE *tmp = tmpfile();
	int r;

	if (tmp == NULL)
		return -errno;
	opt.strip_headers = mailer_has_flag(k->m, '7') &&
			    !(smtp_extensions(k->c)->flags & EXT_8BITMIME);
	if (convert)
		r = mime8to7_convert(&opt, hdr->s ? hdr->s : "", hdr->len, body, tmp);
	else
		r = mime8to7_strip(hdr->s ? hdr->s : "", hdr->len, body, tmp);
	if (r == 0 && (fflush(tmp) != 0 || fseek(tmp, 0, SEEK_SET) != 0))
		r = -errno;
	if (r == 0)
		r = smtp_data(k->c, NULL, 0, tmp);
	fclose(tmp);
	return r;
}

static void smtp_reply_text(const struct smtp_client *c, struct strbuf *out)
{
	const struct smtp_reply *r = smtp_last_reply(c);
	const char *t = sb_str(&r->text);
	const char *nl = strchr(t, '\n');
	/* the reply text without its code, first line; without its enhanced
	 * code too when the server announced ENHANCEDSTATUSCODES */
	if (r->enhanced[0] && (smtp_extensions(c)->flags & EXT_ENHANCEDSTATUSCODES) &&
	    strncmp(t, r->enhanced, strlen(r->enhanced)) == 0) {
		t += strlen(r->enhanced);
		while (*t == ' ')
			t++;
	}
	sb_put(out, t, nl ? (size_t)(nl - t) : strlen(t));
}

/* ---- one transaction ----------------------------------------------------- */

/* The RCPT replies of one transaction, reported as they arrive. */
struct rcpt_watch {
	struct attempt *a;
	struct conn *k;
	struct target **group;
	int accepted;
	bool closing; /* a 421: the server is going away */
};

/* "450 4.2.2 mailbox full": a reply as sendmail quotes it, last line. */
static void quote_reply(const struct smtp_rcpt *r, struct strbuf *out)
{
	const char *t = r->text ? r->text : "";
	const char *nl = strrchr(t, '\n');
	sb_printf(out, "%d %s", r->code, nl ? nl + 1 : t);
}

static void on_rcpt_reply(void *arg, size_t i, const struct smtp_rcpt *r)
{
	struct rcpt_watch *w = arg;
	struct attempt *a = w->a;
	struct target *t = w->group[i];
	struct strbuf text = STRBUF_INIT;
	char status[16];

	if (r->code / 100 == 2) {
		w->accepted++;
		return;
	}
	quote_reply(r, &text);
	reply_status(PH_RCPT, r->code, r->enhanced, status);
	xs_exchange(a, w->k);
	if (r->code / 100 == 5) {
		int ex = refusal_exit(PH_RCPT, r->code);
		refusal_note(a, ex, t->r->printed);
		fail_target(a, t, status, sb_str(&text), sb_str(&text), w->k->host, ex);
	} else if (r->code == 421) {
		/* the deferral is reported once the connection is closed */
		set_result(t, RCPT_DEFERRED, status, sb_str(&text), NULL, w->k->host);
		w->closing = true;
	} else {
		struct strbuf msg = STRBUF_INIT;
		defer_with(a, &w->group[i], 1, sb_str(&text), status, sb_str(&text), sb_str(&text),
		           w->k->host);
		sb_printf(&msg, "Deferred: %s", sb_str(&text));
		envelope_set(&t->er->statmsg, sb_str(&msg));
		sb_free(&msg);
	}
	sb_free(&text);
}

static struct smtp_rcpt *make_rcpts(struct target **group, int n)
{
	struct smtp_rcpt *rcpts = xcalloc((size_t)n, sizeof(*rcpts));
	for (int i = 0; i < n; i++) {
		rcpts[i].addr = group[i]->r->a.user;
		rcpts[i].notify = notify_bits(group[i]->er->flags);
		rcpts[i].orcpt = group[i]->er->orcpt;
	}
	return rcpts;
}

/*
 * The sender MAIL FROM names: a mailer with F=g sends what would go from
 * the null sender as from $n (MAILER-DAEMON), through its sender rules.
 */
static void mail_from(struct attempt *a, const struct mailer *m, char **from)
{
	const char *sender = a->e->sender ? a->e->sender : "";
	const char *n = macro_get(a->env, 'n');

	if (envelope_null_sender(a->e) && mailer_has_flag(m, 'g'))
		sender = n != NULL && *n != '\0' ? n : "MAILER-DAEMON";
	/* the bare address, as an SMTP client got "<a@b>" */
	remote_name(&a->ctx, sender, m, RF_SENDERADDR | RF_CANONICAL, from);
}

static void fill_mail(struct attempt *a, const struct conn *k, struct smtp_mail *mail,
                      const char *from)
{
	const char *flags = a->e->flags ? a->e->flags : "";

	/* a bounce goes out from the null sender (with F=g from $n) */
	if (mailer_has_flag(k->m, 'g') && envelope_null_sender(a->e))
		mail->from = from ? from : "";
	else
		mail->from = (from && strcmp(from, "<>") != 0 && !strchr(flags, 'r')) ? from : "";
	mail->size = (unsigned long long)a->o->msgsize;
	mail->body = body_parameter(a);
	/* sendmail repeats an 8BITMIME body type as it was given */
	if (mail->body == SMTP_BODY_8BITMIME)
		mail->body_spelling = a->e->bodytype;
	mail->pipeline_data = true;
	mail->envid = a->e->envid;
	mail->ret = strchr(flags, 'd') ? (strchr(flags, 'n') ? SMTP_RET_HDRS : SMTP_RET_FULL)
	                               : SMTP_RET_UNSPEC;
	/* AuthOptions A: AUTH= only on an authenticated connection */
	if (!k->authenticated && (auth_options_parse(a->cf->opt.str[OPT_AuthOptions]) & AUTHOPT_A))
		mail->auth = NULL;
	else
		mail->auth = a->e->auth;
}

/*
 * The server went away (421, or DATA deferred): QUIT now, as sendmail
 * does; `last` (may be NULL) gets QUIT's reply as sendmail quotes it.
 */
static void drop_connection(struct conn *k, struct strbuf *last)
{
	if (smtp_quit(k->c) > 0 && last != NULL)
		quote_last_reply(k->c, last);
	smtp_client_free(k->c);
	k->c = NULL;
}

/*
 * What HostStatusDirectory keeps of one transaction, as sendmail 8.17.1
 * writes it: the final reply of a message taken, the reply refusing MAIL,
 * nothing more than "answered" when the recipients or the DATA command
 * were refused, the reply refusing the message at its dot; `lost`: the
 * connection went, nothing is written.
 */
struct answer {
	bool lost;
	int exitstat; /* the status kept: 0, or 75 after a 4xx to the dot */
	char dsn[16];
	struct strbuf reply;
};

static void answer_with_reply(struct conn *k, struct answer *ans, enum phase ph, int code)
{
	quote_last_reply(k->c, &ans->reply);
	if (ph == PH_MAIL)
		reply_status(PH_MAIL, code, smtp_last_reply(k->c)->enhanced, ans->dsn);
	else
		snprintf(ans->dsn, sizeof(ans->dsn), "2.0.0");
}

/* The MAIL command was not accepted. */
static void mail_refused(struct attempt *a, struct conn *k, struct target **group, int n, int code)
{
	struct strbuf text = STRBUF_INIT;
	const struct smtp_reply *r = smtp_last_reply(k->c);
	char status[16];

	quote_last_reply(k->c, &text);
	reply_status(PH_MAIL, code, r->enhanced, status);
	xs_exchange(a, k);
	if (code / 100 == 5) {
		int ex = refusal_exit(PH_MAIL, code);
		refusal_note(a, ex, "");
		for (int i = 0; i < n; i++)
			fail_target(a, group[i], status, sb_str(&text), sb_str(&text), NULL, ex);
	} else if (code == 421) {
		drop_connection(k, NULL);
		defer_with(a, group, n, sb_str(&text), status, sb_str(&text), NULL, NULL);
	} else {
		defer_with(a, group, n, sb_str(&text), status, sb_str(&text), sb_str(&text), NULL);
	}
	sb_free(&text);
}

/*
 * The reply to the final dot refused the message, as sendmail 8.17.1
 * takes it (mx-host-status-dot): 4xx defers, a 5xx whose middle digit is
 * 5 (550, 554) refuses, any other 5xx (500) is a protocol error with its
 * LOG_CRIT line; the to= lines quote the reply with its own DSN code, no
 * RSET follows (the transaction is over), and the host's status keeps the
 * reply (status 75 for 4xx, else 0).
 */
static void dot_refused(struct attempt *a, struct conn *k, struct target **left, int nl, int code,
                        const char *text, struct answer *ans)
{
	const char *enh = smtp_last_reply(k->c)->enhanced;
	char status[16];
	int ex = (code / 10) % 10 == 5 ? EX_UNAVAILABLE : EX_PROTOCOL;

	if (enh != NULL && enh[0] == (code / 100 == 5 ? '5' : '4'))
		snprintf(status, sizeof(status), "%s", enh);
	else
		reply_status(PH_DATA, code, NULL, status);
	snprintf(ans->dsn, sizeof(ans->dsn), "%s", status);
	sb_reset(&ans->reply);
	sb_puts(&ans->reply, text);
	if (code / 100 != 5) {
		ans->exitstat = EX_TEMPFAIL;
		defer_with(a, left, nl, text, status, text, text, k->host);
		return;
	}
	if (ex == EX_PROTOCOL && a->o->log != NULL)
		log_protocol_error(a->o->log, a->e->id, k->host, "DATA-2", text);
	refusal_note(a, ex, "");
	for (int i = 0; i < nl; i++)
		fail_target_logged(a, left[i], status, text, text, k->host, ex, status, text);
}

/* DATA or the message was not accepted. */
static void data_refused(struct attempt *a, struct conn *k, struct target **group, int n,
                         struct smtp_rcpt *rcpts, int code, struct answer *ans)
{
	struct target **left = xcalloc((size_t)n, sizeof(*left));
	struct strbuf text = STRBUF_INIT;
	char status[16];
	int nl = 0;

	for (int i = 0; i < n; i++)
		if (!group[i]->handled && rcpts[i].code / 100 == 2)
			left[nl++] = group[i];
	if (code < 0) {
		defer_with(a, left, nl, strerror(-code), "4.4.2", NULL, NULL, k->host);
		free(left);
		return;
	}
	quote_last_reply(k->c, &text);
	reply_status(PH_DATA, code, NULL, status);
	xs_exchange(a, k);
	if (smtp_data_message_sent(k->c)) {
		dot_refused(a, k, left, nl, code, sb_str(&text), ans);
	} else if (code / 100 == 5) {
		/* the DATA command itself: sendmail 8.17.1's to= line says
		 * 5.0.0 and quotes the reply, its DSN neither */
		smtp_rset(k->c);
		refusal_note(a, EX_UNAVAILABLE, "");
		for (int i = 0; i < nl; i++)
			fail_target_logged(a, left[i], status, NULL, NULL, k->host, EX_UNAVAILABLE,
			                   "5.0.0", sb_str(&text));
	} else {
		drop_connection(k, NULL);
		defer_with(a, left, nl, sb_str(&text), status, NULL, NULL, k->host);
	}
	free(left);
	sb_free(&text);
}

/*
 * A header's share of the message size as sendmail counts it when it
 * reads a qf: its H line less "H??" (the condition's letters, name, colon
 * and value, with the tab of each continuation line), no newline.
 */
static uint64_t header_size(const struct env_header *h)
{
	uint64_t n = (h->cond ? strlen(h->cond) : 0) + strlen(h->name) + 1 + strlen(h->value);

	for (const char *p = h->value; *p; p++)
		if (*p == '\n' && p[1] != ' ' && p[1] != '\t')
			n++;
	return n;
}

/*
 * The statistics file (StatusFile): one message delivered by `m` (once
 * per transaction or mailer run, however many recipients it took), its
 * size SIZE= when known, else the df and the headers as sendmail's queue
 * run counts them; or a connection made.
 */
static void count_delivery(struct attempt *a, const struct mailer *m)
{
	struct stat sb;
	uint64_t bytes = 0;

	if (a->o->msgsize > 0) {
		bytes = (uint64_t)a->o->msgsize;
	} else {
		if (a->dffd >= 0 && fstat(a->dffd, &sb) == 0)
			bytes = (uint64_t)sb.st_size;
		for (const struct env_header *h = a->e->headers; h != NULL; h = h->next)
			bytes += header_size(h);
	}
	(void)stats_add(a->cf->opt.str[OPT_StatusFile], STATS_TO, m->index, bytes);
}

/* Accepted: sent, or relayed to a server that cannot pass a receipt on. */
static void data_accepted(struct attempt *a, struct conn *k, struct target **group, int n,
                          struct smtp_rcpt *rcpts)
{
	bool dsn = smtp_extensions(k->c)->flags & EXT_DSN;
	struct target **sent = xcalloc((size_t)n, sizeof(*sent));
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT, reply = STRBUF_INIT;
	int ns = 0;

	smtp_reply_text(k->c, &text);
	for (int i = 0; i < n; i++) {
		struct target *t = group[i];
		if (t->handled || rcpts[i].code / 100 != 2)
			continue;
		t->handled = true;
		t->er->done = true;
		a->out->sent++;
		sent[ns++] = t;
		set_result(t, RCPT_SENT, "2.0.0", NULL, NULL, k->host);
		if (!dsn && strchr(t->er->flags, RCPT_NOTIFY_SUCCESS) != NULL) {
			sb_reset(&reply);
			quote_reply(&rcpts[i], &reply);
			set_result(t, RCPT_RELAYED,
			           rcpts[i].enhanced[0] ? rcpts[i].enhanced : "2.0.0", NULL,
			           sb_str(&reply), k->host);
		}
	}
	if (ns > 0)
		count_delivery(a, k->m);
	sb_printf(&msg, "Sent (%s)", sb_str(&text));
	group_message(a, sent, ns, sb_str(&msg));
	log_group(a, sent, ns, LOG_TO_SENT, "2.0.0", NULL, sb_str(&msg));
	for (int i = 0; i < ns; i++)
		if (sent[i]->er->result.outcome == RCPT_RELAYED)
			xs_line(a, "%s... relayed; expect no further notifications",
			        sent[i]->r->printed);
	sb_free(&msg);
	sb_free(&text);
	sb_free(&reply);
	free(sent);
}

static void transaction(struct attempt *a, struct conn *k, struct target **group, int n,
                        struct answer *ans)
{
	struct smtp_mail mail = {0};
	struct smtp_rcpt *rcpts = make_rcpts(group, n);
	struct strbuf hdr = STRBUF_INIT;
	struct rcpt_watch watch = {a, k, group, 0, false};
	bool convert;
	char *from;
	FILE *body;
	int code;

	mail_from(a, k->m, &from);
	fill_mail(a, k, &mail, from);
	mail.rcpt_reply = on_rcpt_reply;
	mail.rcpt_reply_arg = &watch;
	code = smtp_mail_rcpt(k->c, &mail, rcpts, (size_t)n);
	ans->lost = code < 0 || watch.closing;
	if (code < 0) {
		defer_with(a, group, n, strerror(-code), "4.4.2", NULL, NULL, k->host);
		goto out;
	}
	if (watch.closing) {
		struct strbuf quit = STRBUF_INIT;
		drop_connection(k, &quit);
		for (int i = 0; i < n; i++) {
			struct rcpt_result *res = &group[i]->er->result;
			if (group[i]->handled || res->outcome != RCPT_DEFERRED)
				continue;
			/* sendmail's diagnostic is the last reply it read: QUIT's */
			if (quit.len > 0)
				res->diagnostic = typed(k->m->diagtype, "smtp", sb_str(&quit));
			defer_group(a, &group[i], 1, res->reason, res->status);
		}
		sb_free(&quit);
		goto out;
	}
	if (code / 100 != 2) {
		answer_with_reply(k, ans, PH_MAIL, code);
		mail_refused(a, k, group, n, code);
		goto out;
	}
	if (watch.accepted == 0) {
		/* nothing to send: sendmail resets the transaction */
		smtp_rset(k->c);
		goto out;
	}
	putheaders(&a->ctx, a->e, k->m, &hdr);
	putheaders_seven_bit(k->m, &hdr);
	smtp_set_blank_end(k->c, mailer_has_flag(k->m, 'b'));
	lseek(a->dffd, 0, SEEK_SET);
	convert = needs_8to7(a, k);
	lseek(a->dffd, 0, SEEK_SET);
	body = fdopen(dup(a->dffd), "r");
	/* F=L without L= means RFC 821's 990 */
	smtp_set_line_limit(k->c, k->m->linelimit > 0 ? (size_t)k->m->linelimit
	                          : mailer_has_flag(k->m, 'L') ? 990 : 0);
	if ((convert || mailer_has_flag(k->m, '7')) && body != NULL)
		code = data_8to7(a, k, &hdr, body, convert);
	else
		code = smtp_data(k->c, hdr.s, hdr.len, body);
	if (body)
		fclose(body);
	ans->lost = code < 0;
	if (code / 100 == 2) {
		answer_with_reply(k, ans, PH_DATA, code);
		data_accepted(a, k, group, n, rcpts);
	} else {
		data_refused(a, k, group, n, rcpts, code, ans);
	}
out:
	for (int i = 0; i < n; i++)
		smtp_rcpt_clear(&rcpts[i]);
	free(rcpts);
	sb_free(&hdr);
}

/* ---- connections ------------------------------------------------------------ */

/*
 * "STARTTLS=client, relay=[127.0.0.1], version=TLSv1.3, verify=FAIL,
 * cipher=TLS_AES_256_GCM_SHA384, bits=256/256" once the handshake is done
 * (without a queue ID, as sendmail logs it).  sendmail's second number is
 * the cipher's algorithm bits; GnuTLS gives one key size, used for both.
 */
static void log_tls_session(struct attempt *a, const struct tls_info *ti)
{
	struct log_peer p = {.text = a->host};
	struct log_tls t = {.role = "client", .peer = &p};

	if (a->o->log == NULL || ti->version == NULL)
		return;
	t.version = ti->version;
	t.verify = tls_verify_name(ti->verify);
	t.cipher = ti->cipher ? ti->cipher : "";
	t.bits = t.alg_bits = ti->cipher_bits;
	log_starttls(a->o->log, &t);
}

/*
 * The session's ${verify} and friends become macros of the envelope; those
 * it has no value for are undefined, so that none is left over from an
 * earlier connection (sendmail's are the connection's).
 */
static void define_tls_macros(struct attempt *a, const struct tls_info *ti)
{
	struct strbuf scratch = STRBUF_INIT;
	static const char *const names[] = {"verify",      "tls_version",  "cipher",
	                                    "cipher_bits", "cert_subject", "cert_issuer",
	                                    "cn_subject",  "cn_issuer",    NULL};

	for (int i = 0; names[i] != NULL; i++) {
		const char *v = tls_info_macro(ti, names[i], &scratch);
		macro_define(a->env, macro_id(a->cf, names[i], true), v);
		sb_reset(&scratch);
	}
	sb_free(&scratch);
}

/*
 * STARTTLS, offered by the server: with the client certificate and CAs of
 * the configuration when it names them.  Returns 220 after the handshake
 * (the EHLO again is the caller's, after the tls_server ruleset), 250 when
 * the server refused STARTTLS (the session goes on in clear) or no TLS
 * context can be made (sendmail then goes on without TLS too),
 * -EPROTO/-ETIMEDOUT for a failed handshake.  With TLSA records
 * (`tlsa` not NULL) the server name goes out as SNI, as RFC 7672 asks, and
 * the certificate is checked against them: ${verify} is DANE_PASS or
 * DANE_FAIL, and anything but a verified session is -EACCES.
 */
static int start_tls(struct attempt *a, struct smtp_client *c, struct tls_context **ctx,
                     const struct tlsa_set *tlsa)
{
	struct tls_config cfg;
	struct strbuf why = STRBUF_INIT;
	char sni[1025];
	int rc;

	tls_config_from_options(&cfg, &a->cf->opt, TLS_ROLE_CLIENT);
	if (tls_context_new(ctx, TLS_ROLE_CLIENT, &cfg, &why) < 0) {
		*ctx = NULL;
		sb_free(&why);
		return tlsa != NULL ? -EACCES : 250;
	}
	sb_free(&why);
	snprintf(sni, sizeof(sni), "%s", a->host != NULL ? a->host : "");
	if (*sni != '\0' && sni[strlen(sni) - 1] == '.')
		sni[strlen(sni) - 1] = '\0';
	rc = smtp_starttls_handshake(c, *ctx, tlsa != NULL ? sni : NULL);
	if (rc > 0 && (smtp_tls_info(c)->verify == TLS_VERIFY_TEMP ||
	               smtp_tls_info(c)->verify == TLS_VERIFY_PROTOCOL))
		rc = tlsa != NULL ? -EACCES : 250; /* STARTTLS refused: the session goes on in clear */
	else if (rc > 0 && tlsa != NULL && smtp_tls_dane(c, tlsa, sni) == 0 &&
	         smtp_tls_info(c)->verify != TLS_VERIFY_DANE_PASS)
		rc = -EACCES;
	define_tls_macros(a, smtp_tls_info(c));
	log_tls_session(a, smtp_tls_info(c));
	return rc;
}

/*
 * DANE=true: the TLSA records of the host connected to, when its MX
 * records (if any) and its address came DNSSEC-secure; TLSA_FOUND with
 * records in *set, TLSA_TEMP when the name server failed, otherwise no DANE.
 */
static enum tlsa_status dane_records(struct attempt *a, const struct mailer *m,
                                     const struct mx_route *route, struct tlsa_set *set)
{
	set->rr = NULL;
	set->n = 0;
	if (!a->cf->opt.num[OPT_DANE] || route->mx_insecure || a->host == NULL ||
	    a->host[0] == '[' || a->cf->dns_disabled)
		return TLSA_INSECURE;
	return tlsa_lookup(a->cf->opt.resolver_trustad, a->host, (int)mailer_port(a->cf, m), set);
}

/*
 * A server with TLSA records but no STARTTLS, or TLSA records that could
 * not be looked up: ${verify} says which, and nothing goes out in clear.
 */
static void dane_unusable(struct attempt *a, enum tls_verify why)
{
	struct tls_info ti;

	tls_info_init(&ti);
	ti.verify = why;
	define_tls_macros(a, &ti);
}

/* After a transaction: keep the connection for later, or close it. */
static void release_conn(struct attempt *a, struct conn *k)
{
	if (k->c == NULL) {
		/* the server is gone (421, DATA deferred): only say so */
		if (a->o->transcript != NULL) {
			fprintf(a->o->transcript, "Closing connection to %s\n", k->host);
			fflush(a->o->transcript);
		}
		cache_drop(a->o->cache, k);
		conn_free(k);
		return;
	}
	k->lastuse = time(NULL);
	if (k->slot < 0)
		conn_close(k, a->o->transcript, NULL);
}

/* The greeting or EHLO/HELO was not what it should be. */
static void session_refused(struct attempt *a, struct conn *k, struct target **group, int n,
                            int code)
{
	struct strbuf text = STRBUF_INIT;
	char status[16];

	quote_last_reply(k->c, &text);
	reply_status(PH_GREETING, code, NULL, status);
	xs_exchange(a, k);
	drop_connection(k, NULL);
	if (code / 100 == 5) {
		refusal_note(a, EX_UNAVAILABLE, "");
		for (int i = 0; i < n; i++)
			fail_target(a, group[i], status, sb_str(&text), sb_str(&text), NULL,
			            EX_UNAVAILABLE);
	} else {
		defer_with(a, group, n, sb_str(&text), status, sb_str(&text), sb_str(&text), NULL);
	}
	sb_free(&text);
}

/*
 * The group could not be routed or no host of its route could be reached:
 * deferred, or failed for good with sendmail's words ("Host unknown
 * (Name server: x: host not found)", dsn 5.1.2).  `dsn_status` is what the
 * DSN reports when it differs from the logged `dsn`.
 */
static void route_failed(struct attempt *a, struct target **group, int n, int status,
                         const char *dsn, const char *text, const char *dsn_status,
                         const char *diag)
{
	const char *host = a->host;

	if (status == EX_TEMPFAIL) {
		defer_with(a, group, n, text, dsn, NULL, NULL, NULL);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct target *t = group[i];
		if (t->handled)
			continue;
		if (status == EX_NOHOST)
			xs_line(a, "550 %s %s... %s", dsn, t->r->printed, text);
		else
			xs_line(a, "554 %s %s", dsn, text);
		if (a->o->show_failures) {
			struct strbuf sb = STRBUF_INIT;
			sb_printf(&sb, "%s... %s", t->r->printed, text);
			transcript_line(a, sb_str(&sb));
			sb_free(&sb);
		}
		t->handled = true;
		t->er->done = true;
		a->out->failed++;
		if (a->out->status == 0 || a->out->status == EX_TEMPFAIL)
			a->out->status = status;
		set_result(t, RCPT_FAILED, dsn_status ? dsn_status : dsn, text, diag, host);
		log_group(a, &t, 1, LOG_TO_FAILED, dsn, NULL, text);
	}
}

/*
 * The route of a host that loops back here: sendmail's SYSERR, then an
 * error (its DSN says 5.5.0, its log 5.3.5).
 */
static void route_loops(struct attempt *a, struct target **group, int n, const struct mx_route *r)
{
	struct passwd *pw = getpwuid(getuid());

	if (a->o->log != NULL)
		log_syserr(a->o->log, a->e->id, pw ? pw->pw_name : "root", r->problem);
	a->e->notify_postmaster = true;
	xs_line(a, "554 5.0.0 %s", r->problem);
	route_failed(a, group, n, EX_SOFTWARE, "5.3.5", "Local configuration error", "5.5.0", NULL);
}

/*
 * Connect to the first host of the route that answers, each announced as
 * sendmail does ("Connecting to mx1.example. via esmtp...").  Returns the
 * connection (a->host is the host that answered), or NULL with the group
 * deferred or failed as the last host's error says.
 */
static struct conn *connect_route(struct attempt *a, const struct mailer *m,
                                  const struct mx_route *route, struct target **group, int n,
                                  const char *names)
{
	struct strbuf msg = STRBUF_INIT;
	struct conn *k = NULL;
	char text[512];
	const char *dsn;
	int rc = -EHOSTUNREACH, status;

	for (int i = 0; i < route->n && k == NULL; i++) {
		a->host = route->hosts[i];
		if ((rc = hoststat_known_down(a->cf, a->o->cache ? a->o->cache->hosts : NULL,
		                              a->host)) < 0) {
			a->peer[0] = '\0';
			continue;
		}
		sb_reset(&msg);
		sb_printf(&msg, "Connecting to %s via %s...", a->host, m->name);
		group_message(a, group, n, sb_str(&msg));
		k = conn_new(a, m, a->host, mailer_port(a->cf, m));
		cache_place(a, k, names);
		rc = smtp_connect(k->c, a->host, k->port);
		set_peer(a, k);
		hoststat_note(a->cf, a->o->cache ? &a->o->cache->hosts : NULL, a->host,
		              rc < 0 ? rc : 0, NULL);
		if (rc < 0) {
			cache_drop(a->o->cache, k);
			conn_free(k);
			k = NULL;
			/* sendmail's exit status keeps a host that was not found */
			if ((rc == -ENOENT || rc == -ENODATA) && a->out->status == 0)
				a->out->status = EX_NOHOST;
		}
	}
	sb_free(&msg);
	if (k == NULL) {
		mxroute_connect_error(rc, a->host ? a->host : "", text, sizeof(text), &status,
		                      &dsn);
		if (status == EX_TEMPFAIL) /* the DSN names the host that was down */
			defer_with(a, group, n, text, dsn, NULL, NULL, a->host);
		else
			route_failed(a, group, n, status, dsn, text, NULL, NULL);
	}
	return k;
}

/* sendmail's "Temporary AUTH failure" (4.3.0), quoting the server's `reply`. */
static void auth_deferred(struct attempt *a, struct target **group, int n, const char *reply)
{
	for (int i = 0; i < n; i++)
		if (!group[i]->handled)
			set_result(group[i], RCPT_DEFERRED, "4.3.0", NULL, reply, NULL);
	defer_group_reply(a, group, n, "Temporary AUTH failure", "4.3.0", reply);
}

/*
 * SMTP AUTH with the authinfo entry for the server (clientauth.h); false
 * with the group deferred when sendmail would give the connection up.
 */
static bool client_auth(struct attempt *a, struct conn *k, struct target **group, int n)
{
	struct clientauth_params p = {
	    .ctx = &a->ctx, .log = a->o->log, .qid = a->e->id, .host = a->host};
	struct strbuf msg = STRBUF_INIT;

	switch (clientauth_run(&p, k->c)) {
	case CLIENTAUTH_OK:
		k->authenticated = true;
		return true;
	case CLIENTAUTH_NONE:
		return true;
	case CLIENTAUTH_TEMPFAIL:
		/* the server's 4xx to AUTH, if that was it, goes on the to= line */
		if (smtp_last_reply(k->c)->code / 100 == 4)
			quote_last_reply(k->c, &msg);
		drop_connection(k, NULL);
		auth_deferred(a, group, n, msg.len ? sb_str(&msg) : NULL);
		release_conn(a, k);
		sb_free(&msg);
		return false;
	case CLIENTAUTH_LOST:
		break;
	}
	sb_printf(&msg, "%s with %s", strerror(ECONNRESET), a->host);
	smtp_client_free(k->c);
	k->c = NULL;
	defer_with(a, group, n, sb_str(&msg), "4.4.2", NULL, NULL, a->host);
	release_conn(a, k);
	sb_free(&msg);
	return false;
}

/* The try_tls and tls_server rulesets' view of this connection. */
static void tls_policy_params(struct attempt *a, const char *names, struct tlspolicy_params *tp)
{
	tp->ctx = &a->ctx;
	tp->log = a->o->log;
	tp->addr = a->peer;
	tp->rcpts = names;
	tlspolicy_define_server(tp, a->host);
}

/*
 * STARTTLS when the server offers it and DANE or the try_tls ruleset wants
 * it, then the tls_server ruleset on ${verify} (NONE without STARTTLS),
 * then EHLO again after a handshake.  Returns what start_tls does, or the
 * EHLO's code; -EPERM with the ruleset's reply and its dsn when it refuses.
 */
static int secure_session(struct attempt *a, struct conn *k, const struct tlspolicy_params *tp,
                          const struct tlsa_set *tlsa, struct strbuf *reply, char dsn[16])
{
	int rc = 250;

	if ((smtp_extensions(k->c)->flags & EXT_STARTTLS) && (tlsa != NULL || tlspolicy_try_tls(tp)))
		rc = start_tls(a, k->c, &k->tls, tlsa);
	if (rc < 0)
		return rc;
	define_tls_macros(a, smtp_tls_info(k->c));
	if (tlspolicy_tls_server(tp, tls_verify_name(smtp_tls_info(k->c)->verify), reply, dsn) != 0)
		return -EPERM;
	return rc == 220 ? smtp_ehlo(k->c) : rc;
}

/*
 * The tls_server ruleset refused the session: QUIT, then the group
 * deferred with its reply, or failed for good on a 5xx one (sendmail's
 * "Service unavailable").
 */
static void tls_refused(struct attempt *a, struct conn *k, struct target **group, int n,
                        const char *reply, const char *dsn)
{
	smtp_quit(k->c);
	smtp_client_free(k->c);
	k->c = NULL;
	if (reply[0] == '5') {
		/* the exit status is the ruleset's error's (5.7.0: EX_DATAERR) */
		if (a->out->status == 0)
			a->out->status = a->cf->exit_status;
		for (int i = 0; i < n; i++)
			if (!group[i]->handled)
				fail_target(a, group[i], dsn, NULL, reply, a->host, EX_UNAVAILABLE);
	} else {
		/* the ruleset's reply is sendmail's words, not the server's */
		for (int i = 0; i < n; i++)
			if (!group[i]->handled)
				set_result(group[i], RCPT_DEFERRED, dsn, NULL, NULL, a->host);
		defer_group_reply(a, group, n, reply, dsn, NULL);
	}
	release_conn(a, k);
}

/* Open and greet a new connection; NULL (the group deferred or failed) if it fails. */
/*
 * EHLO or HELO as sendmail 8.17.1 chooses: HELO alone with F=2; EHLO
 * (HELO after a 5xx) with F=a or when the greeting says "ESMTP"; else
 * HELO.
 */
static int hello(struct conn *k, const struct mailer *m)
{
	const char *greeting = sb_str(&smtp_last_reply(k->c)->text);

	if (!mailer_has_flag(m, '2') &&
	    (mailer_has_flag(m, 'a') || strstr(greeting, "ESMTP") != NULL))
		return smtp_ehlo(k->c);
	return smtp_helo(k->c);
}

/* Does the server's EHLO/HELO reply name this host ($j)?  Not asked with F=k. */
static bool loops_back(struct attempt *a, const struct conn *k, const struct mailer *m)
{
	const char *name = sb_str(&smtp_last_reply(k->c)->text);
	const char *me = macro_get(a->env, 'j');
	size_t n = strcspn(name, " \t\r\n");

	return !mailer_has_flag(m, 'k') && me != NULL && n > 0 && n == strlen(me) &&
	       strncasecmp(name, me, n) == 0;
}

/*
 * The server called itself this host: sendmail's SYSERR "config error:
 * mail loops back to me", QUIT, and the group failed for good ("Local
 * configuration error", 5.3.5; the DSN's diagnostic "553 5.3.5 system
 * config error", no remote MTA).
 */
static void loop_refused(struct attempt *a, struct conn *k, struct target **group, int n)
{
	struct passwd *pw = getpwuid(getuid());
	struct strbuf msg = STRBUF_INIT;

	sb_printf(&msg, "%s config error: mail loops back to me (MX problem?)", a->host);
	if (a->o->log != NULL)
		log_syserr(a->o->log, a->e->id, pw ? pw->pw_name : "root", sb_str(&msg));
	a->e->notify_postmaster = true; /* a SYSERR: the DSN goes to the postmaster too */
	drop_connection(k, NULL);
	xs_line(a, "553 5.3.5 %s", sb_str(&msg));
	for (int i = 0; i < n; i++) {
		if (group[i]->handled)
			continue;
		xs_line(a, "554 5.3.5 %s", refusal_words(EX_CONFIG));
		if (a->o->show_failures) {
			sb_reset(&msg);
			sb_printf(&msg, "%s... %s", group[i]->r->printed, refusal_words(EX_CONFIG));
			transcript_line(a, sb_str(&msg));
		}
		fail_target_logged(a, group[i], "5.3.5", refusal_words(EX_CONFIG),
		                   "553 5.3.5 system config error", NULL, EX_CONFIG, "5.3.5", NULL);
	}
	/* the sendmail command exits 70 then, as after an MX loop (route_loops) */
	if (a->out->status == EX_CONFIG)
		a->out->status = EX_SOFTWARE;
	release_conn(a, k);
	sb_free(&msg);
}

static struct conn *open_conn(struct attempt *a, const struct mailer *m,
                              const struct mx_route *route, struct target **group, int n,
                              const char *names)
{
	struct conn *k = connect_route(a, m, route, group, n, names);
	const char *host = a->host;
	struct strbuf msg = STRBUF_INIT;
	struct strbuf reply = STRBUF_INIT;
	struct tlsa_set tlsa = {NULL, 0};
	struct tlspolicy_params tp;
	enum tlsa_status dane;
	char dsn[16];
	int rc;

	if (k == NULL)
		return NULL;
	tls_policy_params(a, names, &tp);
	(void)stats_add(a->cf->opt.str[OPT_StatusFile], STATS_CONN_TO, 0, 0);
	rc = smtp_greeting(k->c);
	if (rc == 220)
		rc = hello(k, m);
	if (rc / 100 == 2 && loops_back(a, k, m)) {
		loop_refused(a, k, group, n);
		return NULL;
	}
	dane = rc / 100 == 2 ? dane_records(a, m, route, &tlsa) : TLSA_INSECURE;
	if (dane == TLSA_TEMP ||
	    (dane == TLSA_FOUND && !(smtp_extensions(k->c)->flags & EXT_STARTTLS))) {
		dane_unusable(a, dane == TLSA_TEMP ? TLS_VERIFY_DANE_TEMP : TLS_VERIFY_DANE_NOTLS);
		rc = -EACCES;
	} else if (rc / 100 == 2) {
		rc = secure_session(a, k, &tp, dane == TLSA_FOUND ? &tlsa : NULL, &reply, dsn);
	}
	tlsa_set_free(&tlsa);
	if (rc == -EPERM) {
		tls_refused(a, k, group, n, sb_str(&reply), dsn);
		sb_free(&reply);
		return NULL;
	}
	sb_free(&reply);
	if (rc == -EACCES) {
		/* the tls_server ruleset's words for DANE_FAIL (DANE_MSG) */
		defer_with(a, group, n, "403 4.7.0 DANE check failed.", "4.7.0", NULL, NULL,
		           host);
		smtp_quit(k->c); /* the session itself is fine: end it politely */
		goto fail;
	}
	if (rc == -EPROTO || rc == -ETIMEDOUT) {
		/* sendmail's words for a handshake that failed */
		defer_with(a, group, n, "403 4.7.0 TLS handshake failed.", "4.7.0", NULL, NULL,
		           host);
		goto fail;
	}
	if (rc < 0) {
		sb_printf(&msg, "%s with %s", strerror(-rc), host);
		defer_with(a, group, n, sb_str(&msg), "4.4.2", NULL, NULL, host);
		goto fail;
	}
	if (rc / 100 != 2) {
		session_refused(a, k, group, n, rc);
		/* a refusing server stays in the cache until its slot is needed */
		if (rc / 100 != 5 || k->slot < 0)
			release_conn(a, k);
		sb_free(&msg);
		return NULL;
	}
	sb_free(&msg);
	if (!client_auth(a, k, group, n))
		return NULL;
	return k;
fail:
	sb_free(&msg);
	cache_drop(a->o->cache, k);
	conn_free(k);
	return NULL;
}

/* A cached connection to a host of the route, checked with RSET as sendmail does. */
static struct conn *reuse_conn(struct attempt *a, const struct mailer *m,
                               const struct mx_route *route, struct target **group, int n)
{
	struct conn *k = NULL;
	struct strbuf msg = STRBUF_INIT;

	for (int i = 0; i < route->n && k == NULL; i++) {
		k = cache_find(a->o->cache, m, route->hosts[i], mailer_port(a->cf, m));
		if (k != NULL)
			a->host = route->hosts[i];
	}
	if (k == NULL)
		return NULL;
	k->verbose = a->o->transcript;
	if (smtp_rset(k->c) != 250) {
		cache_drop(a->o->cache, k);
		conn_free(k);
		return NULL;
	}
	sb_printf(&msg, "Using cached %sSMTP connection to %s via %s...",
	          smtp_is_esmtp(k->c) ? "E" : "", a->host, m->name);
	group_message(a, group, n, sb_str(&msg));
	sb_free(&msg);
	set_peer(a, k);
	return k;
}

static void deliver_group(struct attempt *a, const struct mailer *m, const char *host,
                          struct target **group, int n)
{
	struct strbuf names = STRBUF_INIT;
	struct mx_route route;
	struct conn *k;

	a->mailer = m->name;
	a->host = host;
	a->peer[0] = '\0';
	a->start = time(NULL);
	if (mxroute_for_mailer(a->cf, host, !mailer_has_flag(m, '0'), &route) < 0) {
		if (route.status == EX_CONFIG)
			route_loops(a, group, n, &route);
		else
			route_failed(a, group, n, route.status,
			             route.status == EX_NOHOST ? "5.1.2" : "4.0.0", route.problem,
			             NULL, "550 Host unknown");
		mxroute_free(&route);
		return;
	}
	k = reuse_conn(a, m, &route, group, n);
	group_names(group, n, &names);
	if (k == NULL)
		k = open_conn(a, m, &route, group, n, sb_str(&names));
	sb_free(&names);
	if (k != NULL) {
		struct answer ans = {.reply = STRBUF_INIT};
		transaction(a, k, group, n, &ans);
		if (!ans.lost)
			hoststat_answered(a->cf, a->host, ans.exitstat, ans.dsn[0] ? ans.dsn : NULL,
			                  ans.reply.len ? sb_str(&ans.reply) : NULL);
		sb_free(&ans.reply);
		a->peer[0] = '\0';
		release_conn(a, k);
	}
	a->host = NULL;
	mxroute_free(&route);
}

/* ---- program and file mailers (progmailer.h) ---------------------------------- */

/* X-Actual-Recipient: the mailer's address type, the user without quotes. */
static void set_actual(struct target *t, const struct mailer *m)
{
	struct rcpt_result *res = &t->er->result;
	const char *u = t->r->a.user;
	size_t n = strlen(u);
	const char *type = m->addrtype;

	if (n >= 2 && u[0] == '"' && u[n - 1] == '"') {
		u++;
		n -= 2;
	}
	free(res->actual);
	res->actual = xstrndup(u, n);
	snprintf(res->actual_type, sizeof(res->actual_type), "%s",
	         type == NULL || strcasecmp(type, "rfc822") == 0 ? "" : type);
}

static void local_failure(struct attempt *a, struct target *t, const struct pm_rcpt *p)
{
	struct strbuf line = STRBUF_INIT, diag = STRBUF_INIT;
	const char *reason;

	t->handled = true;
	t->er->done = true;
	a->out->failed++;
	if (a->out->status == 0)
		a->out->status = p->exit;
	/* the envelope's last error, which a DSN's log line quotes */
	envelope_set(&a->e->message, p->stat);
	if (p->reply != NULL)
		sb_puts(&diag, p->reply);
	else
		sb_printf(&diag, "%d", p->exit);
	/* the reason a DSN lists: sendmail's words for the status, or its number */
	reason = p->reply ? p->reply : progmailer_exit_words(p->exit);
	set_result(t, RCPT_FAILED, p->dsn_status, reason ? reason : sb_str(&diag), sb_str(&diag),
	           NULL);
	set_actual(t, t->r->a.mailer);
	if (t->r->alias_of != NULL) {
		free(t->er->result.expansion);
		t->er->result.expansion = xstrdup(t->r->printed);
	}
	if (p->reply != NULL)
		sb_printf(&line, "%s... %s", t->r->printed, p->stat);
	else
		progmailer_failure_line(p->exit, t->r->printed, &line);
	xs_line(a, "%s", sb_str(&line));
	if (progmailer_exit_words(p->exit) != NULL || p->reply != NULL)
		group_message(a, &t, 1, p->stat);
	else
		transcript_line(a, p->stat);
	log_group(a, &t, 1, LOG_TO_FAILED, p->dsn, p->reply, p->stat);
	sb_free(&line);
	sb_free(&diag);
}

static void local_result(struct attempt *a, struct target *t, const struct pm_rcpt *p)
{
	a->ctladdr = p->ctladdr;
	if (p->exit == EX_OK) {
		t->handled = true;
		t->er->done = true;
		a->out->sent++;
		set_result(t, RCPT_SENT, p->dsn_status, NULL, NULL, NULL);
		group_message(a, &t, 1, "Sent");
		log_group(a, &t, 1, LOG_TO_SENT, p->dsn, NULL, "Sent");
	} else {
		if (p->output != NULL)
			xs_line(a, "%s", p->output);
		if (progmailer_exit_transient(p->exit)) {
			struct strbuf diag = STRBUF_INIT;
			if (p->reply != NULL)
				sb_puts(&diag, p->reply);
			else
				sb_printf(&diag, "%d", p->exit);
			set_result(t, RCPT_DEFERRED, p->dsn_status, p->reply, sb_str(&diag), NULL);
			defer_group(a, &t, 1, p->stat, p->dsn);
			sb_free(&diag);
		} else {
			local_failure(a, t, p);
		}
	}
	a->ctladdr = NULL;
}

/*
 * The recipients one mailer run delivered with the same status and
 * controlling user: one "Sent" and one to= line for all of them, as
 * sendmail logs a run (an LMTP transaction, an F=m program).
 */
static void local_sent_together(struct attempt *a, struct target **group,
                                const struct pm_rcpt *p, int n)
{
	struct target **sent = xcalloc((size_t)n, sizeof(*sent));
	const struct pm_rcpt *first = NULL;
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (p[i].exit != EX_OK)
			continue;
		if (first == NULL)
			first = &p[i];
		else if (strcmp(p[i].dsn, first->dsn) != 0 ||
		         strcmp(p[i].ctladdr ? p[i].ctladdr : "",
		                first->ctladdr ? first->ctladdr : "") != 0)
			continue;
		sent[k++] = group[i];
		group[i]->handled = true;
		group[i]->er->done = true;
		a->out->sent++;
		set_result(group[i], RCPT_SENT, p[i].dsn_status, NULL, NULL, NULL);
	}
	if (k > 0) {
		a->ctladdr = first->ctladdr;
		group_message(a, sent, k, "Sent");
		log_group(a, sent, k, LOG_TO_SENT, first->dsn, NULL, "Sent");
		a->ctladdr = NULL;
	}
	free(sent);
}

/* Recipients group[0..n) through one mailer program (or file appends). */
static void local_run(struct attempt *a, const struct mailer *m, const char *host,
                      struct target **group, int n)
{
	struct pm_rcpt *p = xcalloc((size_t)n, sizeof(*p));
	struct strbuf names = STRBUF_INIT;
	struct pm_job j = {.ctx = &a->ctx,
	                   .e = a->e,
	                   .dffd = a->dffd,
	                   .m = m,
	                   .host = host ? host : "",
	                   .sender = a->from,
	                   .rcpts = p,
	                   .n = n,
	                   .transcript = a->o->transcript,
	                   .cache = a->o->cache != NULL ? a->o->cache->lmtp : NULL};

	for (int i = 0; i < n; i++)
		p[i].r = group[i]->r;
	group_names(group, n, &names);
	j.names = sb_str(&names);
	a->start = time(NULL);
	progmailer_deliver(&j);
	for (int i = 0; i < n; i++)
		if (p[i].exit == EX_OK) {
			count_delivery(a, m);
			break;
		}
	local_sent_together(a, group, p, n);
	for (int i = 0; i < n; i++)
		if (!group[i]->handled)
			local_result(a, group[i], &p[i]);
	progmailer_results_free(p, n);
	free(p);
	sb_free(&names);
}

/*
 * A group of the local, prog or *file* mailer (or any other program): all
 * at once with F=m or F=z, else one recipient after the other in the
 * order of the list.
 */
static void local_group(struct attempt *a, const struct mailer *m, const char *host,
                        struct target **group, int n)
{
	a->mailer = m->name;
	/* an LMTP mailer's to= lines name it as the relay, as sendmail's do */
	a->host = mailer_has_flag(m, 'z') ? m->name : NULL;
	a->peer[0] = '\0';
	if (mailer_has_flag(m, 'm') || mailer_has_flag(m, 'z')) {
		local_run(a, m, host, group, n);
		return;
	}
	for (int i = n - 1; i >= 0; i--)
		local_run(a, m, host, &group[i], 1);
}

/* ---- the attempt -------------------------------------------------------------- */

/* Forget the member nodes an earlier attempt made. */
static void drop_members(struct envelope *e)
{
	for (struct env_rcpt **pp = &e->rcpts; *pp != NULL;) {
		struct env_rcpt *r = *pp;
		if (r->member) {
			*pp = r->next;
			envelope_rcpt_free(r);
		} else {
			pp = &r->next;
		}
	}
}

/* The qf C line of an expansion's member: "alias:uid:gid:<alias@host>". */
static char *member_ctl_line(struct attempt *a, const struct recipient *r)
{
	struct strbuf ctl = STRBUF_INIT;
	unsigned long uid, gid;

	progmailer_member_ids(a->cf, r, &uid, &gid);
	sb_printf(&ctl, "%s:%lu:%lu:%s", r->alias_of->a.user ? r->alias_of->a.user : "", uid, gid,
	          r->alias_of->printed);
	return sb_detach(&ctl);
}

/*
 * A node of its own for `r`, named by the expansion of `owner`: the
 * owner's DSN fields and flags (an alias's members: not primary, 'A'), the
 * C line of the alias that named it ("user:uid:gid:address", with the
 * ids a program it names runs with), placed after *last.
 */
static struct env_rcpt *member_node(struct attempt *a, struct env_rcpt *owner,
                                    const struct recipient *r, struct env_rcpt **last)
{
	struct env_rcpt *m = xcalloc(1, sizeof(*m));
	size_t k = 0;

	m->addr = xstrdup(r->printed);
	m->final = owner->final ? xstrdup(owner->final) : NULL;
	m->orcpt = owner->orcpt ? xstrdup(owner->orcpt) : NULL;
	m->ctladdr = member_ctl_line(a, r);
	/* what a .forward names keeps the user's flags; an alias's
	 * members are not primary, and marked as an alias's (A) */
	for (const char *f = owner->flags; *f && k + 2 < sizeof(m->flags); f++)
		if (r->alias_of->forwarded || (*f != RCPT_PRIMARY && *f != 'A'))
			m->flags[k++] = *f;
	if (!r->alias_of->forwarded)
		m->flags[k] = 'A';
	m->member = true;
	m->result.parent = xstrdup(r->alias_of->printed);
	m->result.expansion = xstrdup(r->printed);
	m->next = (*last)->next;
	(*last)->next = m;
	*last = m;
	return m;
}

/* "nosuchuser@oracle.example.org": a refused member as X-Actual-Recipient names it. */
static char *member_actual(struct attempt *a, const struct recipient *r)
{
	struct strbuf sb = STRBUF_INIT;
	const char *j = macro_get(a->env, 'j');

	sb_puts(&sb, r->a.user);
	if (!r->a.is_include && strchr(r->a.user, '@') == NULL && j != NULL)
		sb_printf(&sb, "@%s", r->a.host != NULL && *r->a.host ? r->a.host : j);
	return sb_detach(&sb);
}

/*
 * A member refused while expanding ("User unknown", an :include: that
 * cannot be opened): its result, the transcript's error line and its
 * to= line, as sendmail 8.17 writes them.
 */
static void member_refused(struct attempt *a, struct target *t)
{
	const struct recipient *r = t->r;
	struct rcpt_result *res = &t->er->result;
	struct strbuf reply = STRBUF_INIT;
	char *ctl = progmailer_member_ctladdr(a->cf, r);

	t->handled = true;
	t->er->done = true;
	a->out->failed++;
	if (a->out->status == 0)
		a->out->status =
		    strncmp(r->err_code, "550 5.1.1", 9) == 0 ? EX_NOUSER : EX_UNAVAILABLE;
	sb_printf(&reply, "%s %s", r->err_code, r->err_text);
	res->outcome = RCPT_FAILED;
	snprintf(res->status, sizeof(res->status), "%s", r->err_code + 4);
	free(res->reason);
	free(res->diagnostic);
	free(res->actual);
	free(res->expansion); /* member_node set it already */
	res->reason = xstrdup(sb_str(&reply));
	res->diagnostic = typed("SMTP", "smtp", sb_str(&reply));
	res->actual = member_actual(a, r);
	res->expansion = xstrdup(r->printed);
	res->when = time(NULL);
	/* the envelope's last error, which a DSN's log line quotes */
	envelope_set(&a->e->message, r->err_text);
	xs_line(a, "%s %s... %s", r->err_code, r->printed, r->err_text);
	a->ctladdr = ctl;
	a->mailer = r->a.mailer ? r->a.mailer->name : NULL;
	a->host = NULL;
	a->no_xdelay = true;
	log_group(a, &t, 1, LOG_TO_FAILED, res->status, sb_str(&reply), r->err_text);
	a->ctladdr = NULL;
	a->no_xdelay = false;
	free(ctl);
	sb_free(&reply);
}

static void add_target(struct attempt *a, struct target **targets, int *n, int *cap,
                       struct env_rcpt *er, struct recipient *r)
{
	if (*n + 1 >= *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*targets = xrealloc(*targets, (size_t)*cap * sizeof(**targets));
	}
	(*targets)[*n] = (struct target){.er = er, .r = r};
	if (er->result.actual == NULL && r->a.user != NULL)
		er->result.actual = xstrdup(r->a.user);
	(*n)++;
	(void)a;
}

/* A member of a list with an owner: noted on its node, delivered by a clone. */
static bool note_owner(struct env_rcpt *node, const struct recipient *r)
{
	const struct recipient *list = rcpt_owning_list(r);

	if (list == NULL || !node->member)
		return false;
	node->owner = xstrdup(list->list_owner);
	node->owner_list = xstrdup(list->printed);
	return true;
}

/* The clone for `owner` among out's, made on first use. */
static struct envelope *clone_for(struct attempt *a, const struct env_rcpt *r)
{
	struct deliver_outcome *out = a->out;
	struct envelope *c;

	for (int i = 0; i < out->nclones; i++)
		if (strcmp(out->clones[i]->sender, r->owner) == 0)
			return out->clones[i];
	c = xcalloc(1, sizeof(*c));
	envelope_init(c);
	envelope_copy_message(c, a->e);
	envelope_set(&c->sender, r->owner);
	/* not the parent's status: a DSN about failures the parent found
	 * says sendmail's words for no status, until its own attempts set one */
	envelope_set(&c->message, "Unable to deliver mail");
	/* what sendmail's clone adds to the errors its owner is sent */
	sb_printf(&c->transcript, "Message delivered to mailing list %s\n", r->owner_list);
	out->clones = xrealloc(out->clones, (size_t)(out->nclones + 1) * sizeof(*out->clones));
	out->clones[out->nclones++] = c;
	return c;
}

/*
 * Move the members that have an owner into the owners' clones, where they
 * are recipients of their own (with their alias's C line); the list they
 * came from is done here, as sendmail's clone takes it over.
 */
static void split_owners(struct attempt *a)
{
	struct env_rcpt *top = NULL;

	for (struct env_rcpt **pp = &a->e->rcpts; *pp != NULL;) {
		struct env_rcpt *r = *pp, **tail;
		struct envelope *c;

		if (!r->member)
			top = r;
		if (r->owner == NULL) {
			pp = &r->next;
			continue;
		}
		if (top != NULL && top->result.outcome == RCPT_UNTRIED)
			top->done = true;
		c = clone_for(a, r);
		*pp = r->next;
		r->next = NULL;
		r->member = false;
		free(r->owner);
		free(r->owner_list);
		r->owner = r->owner_list = NULL;
		for (tail = &c->rcpts; *tail != NULL; tail = &(*tail)->next)
			;
		*tail = r;
	}
}

void deliver_outcome_free(struct deliver_outcome *out)
{
	for (int i = 0; i < out->nclones; i++) {
		envelope_free(out->clones[i]);
		free(out->clones[i]);
	}
	free(out->clones);
	out->clones = NULL;
	out->nclones = 0;
}

/*
 * Resolve every pending recipient of the envelope into one list, as
 * sendmail's send queue: an address that an earlier recipient's
 * expansion already holds is a duplicate and suppressed.  Every address
 * an expansion names gets a member node of its own (its own result);
 * what was refused while expanding fails now.  Returns the targets.
 */
static int resolve(struct attempt *a, struct target **targets)
{
	struct rcpt_list list;
	int n = 0, cap = 0;

	drop_members(a->e);
	rcpt_list_init(&list, &a->ctx);
	for (struct env_rcpt *er = a->e->rcpts; er; er = er->next) {
		struct env_rcpt *last = er;
		int before = list.n, named = 0;

		if (er->done || er->member)
			continue;
		rcpt_result_clear(&er->result);
		list.last_duplicate = NULL;
		rcpt_send_to_list_ctl(&list, er->addr, er->ctladdr);
		for (struct recipient *r = list.queue; r; r = r->next) {
			struct env_rcpt *node = er;
			if (r->order < before)
				continue;
			if (rcpt_is_good(r)) {
				if (r->alias_of != NULL)
					node = member_node(a, er, r, &last);
				if (!note_owner(node, r))
					add_target(a, targets, &n, &cap, node, r);
				named++;
			} else if (r->alias_of != NULL && r->a.mailer != NULL &&
			           r->err_code != NULL) {
				struct target t = {.er = member_node(a, er, r, &last), .r = r};
				member_refused(a, &t);
				note_owner(t.er, r);
				named++;
			}
		}
		if (named == 0 && list.n == before && list.last_duplicate != NULL) {
			er->done = true; /* delivered as the address it duplicates */
		} else if (named == 0) {
			er->done = true; /* the error was printed while parsing */
			er->result.outcome = RCPT_FAILED;
			er->result.when = time(NULL);
			a->out->failed++;
		}
	}
	return n;
}

/*
 * After the attempt, as sendmail rewrites its queue: a recipient whose
 * expansion named anything is done, and the members still pending become
 * the queue's recipients in its place (R lines of their own with their
 * alias's C line), so that what was delivered is not delivered again.
 */
static void settle_owners(struct envelope *e)
{
	struct env_rcpt *owner = NULL;

	for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
		if (!r->member) {
			owner = r;
			continue;
		}
		if (owner != NULL && owner->result.outcome == RCPT_UNTRIED)
			owner->done = true;
		if (!r->done)
			r->member = false;
	}
}

/* The envelope's own macros ($_, ${daemon_flags}, ...) from its qf. */
static void define_envelope_macros(struct cf *cf, struct macro_env *env, const struct envelope *e)
{
	for (const struct env_macro *m = e->macros; m != NULL; m = m->next) {
		char name[64];
		size_t n = strlen(m->name);
		if (n > 2 && m->name[0] == '{' && m->name[n - 1] == '}')
			snprintf(name, sizeof(name), "%.*s", (int)(n - 2), m->name + 1);
		else
			snprintf(name, sizeof(name), "%s", m->name);
		macro_define(env, macro_id(cf, name, true), m->value);
	}
}

static bool same_route(const struct recipient *x, const struct recipient *y)
{
	return x->a.mailer == y->a.mailer &&
	       strcasecmp(x->a.host ? x->a.host : "", y->a.host ? y->a.host : "") == 0;
}

/*
 * Recipients whose address could not be parsed for now (a map lookup
 * deferred, such as $[ $] with the name server down) wait for the next
 * attempt: "u@x... queued", the lookup's words as the entry's message, and
 * a to= line without relay, as sendmail logs them.
 */
static void queue_up_parsed(struct attempt *a, struct target *targets, int n, const char *why)
{
	struct log_to t = {0};

	for (int i = 0; i < n; i++) {
		struct target *tg = &targets[i];
		const char *name = tg->r->printed;

		if (tg->handled || tg->r->a.state != ADDR_QUEUEUP)
			continue;
		tg->handled = true;
		a->out->deferred++;
		group_message(a, &tg, 1, "queued");
		if (why != NULL && *why != '\0' &&
		    (a->e->message == NULL || *a->e->message == '\0'))
			envelope_set(&a->e->message, why);
		set_result(tg, RCPT_DEFERRED, "4.4.3", why, NULL, NULL);
		if (a->o->log == NULL)
			continue;
		t = (struct log_to){.qid = a->e->id,
		                    .kind = LOG_TO_DEFERRED,
		                    .rcpts = &name,
		                    .nrcpts = 1,
		                    .delay = (long)(time(NULL) - a->e->ctime),
		                    .xdelay = -1,
		                    .pri = a->e->priority,
		                    .dsn = "4.4.3",
		                    .stat = "queued"};
		t.mailer = tg->r->a.mailer ? tg->r->a.mailer->name : NULL;
		log_to(a->o->log, &t);
	}
}

/* A member of the expanded return address, as member_node writes one. */
static struct env_rcpt *return_member(struct attempt *a, const struct recipient *r)
{
	struct env_rcpt *m = xcalloc(1, sizeof(*m));

	m->addr = xstrdup(r->printed);
	m->ctladdr = member_ctl_line(a, r);
	return m;
}

int deliver_return_takers(struct cf *cf, struct envelope *e, const char *address,
                          const struct deliver_opts *o, struct env_rcpt **members)
{
	struct macro_env env = {.parent = &cf->macros};
	struct deliver_outcome out = {0};
	struct strbuf deferred = STRBUF_INIT;
	struct attempt a = {cf, &env, e, -1, o, &out, {0}, POOL_INIT, 0};
	struct rcpt_list list;
	struct address from;
	bool itself = false;
	int takers = 0;

	*members = NULL;
	a.id = 1;
	a.ctx = (struct rw_ctx){.cf = cf, .env = &env, .pool = &a.pool, .deferred = &deferred};
	set_sender(&a.ctx, "", &from); /* the DSN's */
	a.from = &from;
	define_envelope_macros(cf, &env, e);
	macro_define(&env, 'i', e->id);
	rcpt_list_init(&list, &a.ctx);
	rcpt_send_to_list(&list, address);
	for (struct recipient *r = list.queue; r != NULL; r = r->next) {
		if (rcpt_is_good(r) && r->alias_of != NULL) {
			/* the DSN's send queue has them the other way round
			 * (sendmail 8.17.1 delivers a list's DSN to alice,
			 * then to bob's .forward file) */
			struct env_rcpt *m = return_member(&a, r);
			m->next = *members;
			*members = m;
			takers++;
		} else if (rcpt_is_good(r)) {
			itself = true;
			takers++;
		} else if (r->err_code != NULL && r->a.mailer != NULL) {
			struct env_rcpt scratch = {0};
			struct target t = {.er = &scratch, .r = r};
			member_refused(&a, &t);
			rcpt_result_clear(&scratch.result);
		}
	}
	/* the address itself takes it: the DSN goes to it as it is */
	if (itself) {
		envelope_rcpt_free_list(*members);
		*members = NULL;
	}
	pool_release(&a.pool);
	sb_free(&deferred);
	macro_env_clear(&env);
	return takers;
}

static bool expensive(const struct target *tg)
{
	return !tg->handled && tg->r->a.mailer != NULL && mailer_has_flag(tg->r->a.mailer, 'e');
}

/*
 * HoldExpensive: recipients of expensive mailers (F=e) wait for a queue
 * run unless the attempt is a queue run's or watched (-v), as sendmail
 * 8.17.1 holds them.  When it holds all of the message's recipients it
 * logs each "stat=queued"; when others go now, it holds them silently.
 */
static void hold_expensive(struct attempt *a, struct target *targets, int n)
{
	bool others = false;

	if (!a->cf->opt.num[OPT_HoldExpensive] || a->o->queue_run || a->o->transcript != NULL)
		return;
	for (int i = 0; i < n; i++)
		others |= !targets[i].handled && !expensive(&targets[i]);
	for (int i = 0; i < n; i++) {
		struct target *tg = &targets[i];

		if (!expensive(tg))
			continue;
		tg->handled = true;
		a->out->deferred++;
		if (!others && a->o->log != NULL)
			log_to_queued(a->o->log, a->e->id, tg->r->printed, tg->r->a.mailer->name,
			              a->e->priority);
	}
}

int deliver_envelope(struct cf *cf, struct macro_env *env, struct envelope *e, int dffd,
                     const struct deliver_opts *o, struct deliver_outcome *out)
{
	struct strbuf deferred = STRBUF_INIT;
	bool shown = cf->show_messages;
	struct attempt a = {cf, env, e, dffd, o, out, {0}, POOL_INIT, 0};
	struct target *targets = NULL;
	struct address from;
	int n;

	memset(out, 0, sizeof(*out));
	a.id = o->cache != NULL ? ++o->cache->attempts : 1;
	a.ctx = (struct rw_ctx){.cf = cf, .env = env, .pool = &a.pool, .deferred = &deferred};
	set_sender(&a.ctx, e->sender ? e->sender : "", &from);
	a.from = &from;
	define_envelope_macros(cf, env, e);
	macro_define(env, 'i', e->id);
	/* the submitting command has said what it had to say about each address */
	if (o->submitted)
		cf->show_messages = false;
	n = resolve(&a, &targets);
	cf->show_messages = shown;
	split_owners(&a);
	queue_up_parsed(&a, targets, n, sb_str(&deferred));
	hold_expensive(&a, targets, n);
	for (int i = 0; i < n; i++) {
		struct target **group;
		int gn = 0;
		const struct mailer *m = targets[i].r->a.mailer;
		if (targets[i].handled)
			continue;
		group = xcalloc((size_t)n, sizeof(*group));
		/* sendmail hands a group to the mailer last recipient first */
		for (int k = n - 1; k >= i; k--)
			if (!targets[k].handled && same_route(targets[k].r, targets[i].r))
				group[gn++] = &targets[k];
		if (m != NULL && m->path != NULL && strcmp(m->path, "[IPC]") == 0) {
			deliver_group(&a, m, targets[i].r->a.host ? targets[i].r->a.host : "",
			              group, gn);
		} else if (m != NULL) {
			local_group(&a, m, targets[i].r->a.host, group, gn);
		}
		free(group);
	}
	settle_owners(e);
	free(targets);
	pool_release(&a.pool);
	sb_free(&deferred);
	return 0;
}
