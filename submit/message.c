/*
 * message: building the envelope of a submitted message (message.h).
 */
#include "message.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "deliver/progmailer.h"
#include "msg/arpadate.h"
#include "msg/collect.h"
#include "msg/envelope.h"
#include "msg/headers.h"
#include "rules/parseaddr.h"
#include "rules/recipient.h"
#include "sasl/codec.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

static void define(struct cf *cf, const char *name, const char *value)
{
	macro_define(&cf->macros, macro_id(cf, name, true), value);
}

static void define_dates(struct cf *cf, time_t now)
{
	char buf[64];
	arpadate(now, buf, sizeof(buf));
	define(cf, "b", buf);
	define(cf, "a", buf);
	numericdate(now, buf, sizeof(buf));
	define(cf, "t", buf);
	ctimedate(now, buf, sizeof(buf));
	define(cf, "d", buf);
}

/* The full name from a password entry: the GECOS field up to the first
 * comma, '&' standing for the capitalised login name. */
static char *gecos_name(const struct passwd *pw)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = pw->pw_gecos; p && *p && *p != ','; p++) {
		if (*p == '&') {
			sb_putc(&sb, (char)toupper((unsigned char)pw->pw_name[0]));
			sb_puts(&sb, pw->pw_name + 1);
		} else {
			sb_putc(&sb, *p);
		}
	}
	return sb_detach(&sb);
}

/* sendmail's setsender for a submission; fills S, A and $x; the
 * sender's mailer index, -1 for none. */
static int setup_sender(struct cf *cf, struct rw_ctx *ctx, const struct submit_request *req,
			 struct envelope *e)
{
	const char *user = text_invoking_user();
	const char *from = req->from ? req->from : user;
	struct address a;
	const char *j = macro_get(&cf->macros, 'j');
	struct strbuf jx = STRBUF_INIT;

	set_sender(ctx, from, &a);
	envelope_set(&e->sender, from);
	macro_expand(cf, &cf->macros, j ? j : "", &jx);
	if ((req->trusted || req->from == NULL || strcmp(from, user) == 0) &&
	    strcmp(from, "<>") != 0 && *from != '\0') {
		struct strbuf auth = STRBUF_INIT, xtext = STRBUF_INIT;
		sb_puts(&auth, from);
		if (strchr(from, '@') == NULL)
			sb_printf(&auth, "@%s", sb_str(&jx));
		/* the A line holds AUTH='s value: xtext ("+" and "=" encoded) */
		xtext_encode(sb_str(&auth), NULL, &xtext);
		envelope_set(&e->auth, sb_str(&xtext));
		sb_free(&auth);
		sb_free(&xtext);
	}
	if (a.mailer != NULL && mailer_has_flag(a.mailer, 'w')) {
		struct passwd *pw = getpwnam(a.user ? a.user : "");
		char *full = NULL;
		if (req->fullname != NULL)
			full = xstrdup(req->fullname);
		else if (pw != NULL && strcmp(pw->pw_name, a.user) == 0)
			full = gecos_name(pw);
		if (full != NULL && *full != '\0')
			macro_define(&cf->macros, 'x', full);
		free(full);
	}
	sb_free(&jx);
	return a.mailer != NULL ? a.mailer->index : -1;
}

static void add_header_recipients(struct rcpt_list *list, const struct envelope *e)
{
	static const char *const plain[] = {"To", "Cc", "Bcc", NULL};
	static const char *const resent[] = {"Resent-To", "Resent-Cc", "Resent-Bcc", NULL};
	const char *const *names = headers_are_resent(e) ? resent : plain;

	for (const struct env_header *h = e->headers; h; h = h->next)
		for (int i = 0; names[i]; i++)
			if (strcasecmp(h->name, names[i]) == 0)
				rcpt_send_to_list(list, h->value);
}

/*
 * EightBitMode=s: 8-bit data in a message that is neither MIME (no
 * MIME-Version header) nor declared -B8BITMIME is refused, as the SMTP
 * server refuses it (sendmail bounces it instead).
 */
static bool strict_8bit_refused(const struct cf *cf, const struct submit_request *req,
                                const struct envelope *e, const struct collect_result *cr)
{
	if (cf->opt.num[OPT_EightBitMode] != 's' || !cr->eight_bit)
		return false;
	if (req->bodytype != NULL && strcasecmp(req->bodytype, "8BITMIME") == 0)
		return false;
	return header_find(e, "MIME-Version") == NULL;
}

/* R line flags: primary, and the DSN NOTIFY set (FD when -N is absent). */
static void rcpt_flags(const char *notify, char *out, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	sb_putc(&sb, 'P');
	if (notify == NULL) {
		sb_puts(&sb, "FD");
	} else {
		sb_putc(&sb, 'N');
		if (strcasestr(notify, "success"))
			sb_putc(&sb, 'S');
		if (strcasestr(notify, "failure"))
			sb_putc(&sb, 'F');
		if (strcasestr(notify, "delay"))
			sb_putc(&sb, 'D');
	}
	snprintf(out, size, "%s", sb_str(&sb));
	sb_free(&sb);
}

/*
 * The qf C line of a member of an alias or .forward expanded here, as
 * sendmail 8.17.1 writes it: a local user is its own controlling user
 * ("alice:1001:1001:both"), a program or file the .forward's user or the
 * alias with DefaultUser's uid ("progalias:8:0:progalias").  The queue run
 * then delivers it as that expansion's member (programs and files are
 * allowed), not as an address given on the command line.
 */
static char *member_ctladdr(const struct cf *cf, const struct recipient *r)
{
	const struct passwd *pw = NULL;
	struct strbuf sb = STRBUF_INIT;
	unsigned long uid, gid;
	const char *user;

	if (!r->a.is_prog && !r->a.is_file && !r->a.is_include && r->a.mailer != NULL &&
	    mailer_has_flag(r->a.mailer, 'l') && r->a.user != NULL)
		pw = getpwnam(r->a.user);
	if (pw != NULL) {
		user = pw->pw_name;
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	} else {
		user = r->alias_of->a.user ? r->alias_of->a.user : "";
		progmailer_member_ids(cf, r, &uid, &gid);
	}
	sb_printf(&sb, "%s:%lu:%lu:%s", user, uid, gid, r->alias_of->printed);
	return sb_detach(&sb);
}

static void store_recipients(struct cf *cf, struct rcpt_list *list, const char *notify,
			     struct envelope *e)
{
	const char *j = macro_get(&cf->macros, 'j');
	struct strbuf jx = STRBUF_INIT, fin = STRBUF_INIT;
	char flags[16];

	bool had_ctl = false;

	macro_expand(cf, &cf->macros, j ? j : "", &jx);
	rcpt_flags(notify, flags, sizeof(flags));
	for (struct recipient *r = list->queue; r; r = r->next) {
		const struct recipient *given;
		struct env_rcpt *er;
		if (!rcpt_is_good(r))
			continue;
		er = envelope_add_rcpt(e, r->printed, flags);
		/* a member of an alias (not of a .forward) */
		if (r->alias_of != NULL && !r->alias_of->forwarded &&
		    strlen(er->flags) + 1 < sizeof(er->flags))
			strcat(er->flags, "A");
		if (r->a.mailer != NULL)
			er->mailer = xstrdup(r->a.mailer->name);
		sb_reset(&fin);
		/* the address as given (a member's: the alias or user given)
		 * when it names a domain, else the user at $j */
		for (given = r; given->alias_of != NULL; given = given->alias_of)
			;
		if (strchr(given->printed, '@') != NULL) {
			sb_printf(&fin, "RFC822; %s", given->printed);
		} else {
			sb_printf(&fin, "RFC822; %s", given->a.user ? given->a.user : "");
			if (given->a.user && strchr(given->a.user, '@') == NULL)
				sb_printf(&fin, "@%s", sb_str(&jx));
		}
		er->final = xstrdup(sb_str(&fin));
		if (r->alias_of != NULL) {
			er->ctladdr = member_ctladdr(cf, r);
			had_ctl = true;
		} else if (r->ctl_user != NULL) {
			struct strbuf c = STRBUF_INIT;
			sb_printf(&c, ":%s", r->ctl_user);
			er->ctladdr = sb_detach(&c);
			had_ctl = true;
		} else if (had_ctl) {
			/* a bare C line ends the previous controlling user */
			er->ctladdr = xstrdup("");
			had_ctl = false;
		}
	}
	sb_free(&jx);
	sb_free(&fin);
}

static char *envelope_flags(const struct submit_request *req, const struct envelope *e,
			    bool eight_bit)
{
	struct strbuf sb = STRBUF_INIT;
	char f[16];
	headers_envelope_flags(e, eight_bit, f, sizeof(f));
	sb_puts(&sb, f);
	if (req->ret != NULL) {
		sb_putc(&sb, 'd');
		if (strcasecmp(req->ret, "hdrs") == 0)
			sb_putc(&sb, 'n');
	}
	sb_putc(&sb, 's');
	return sb_detach(&sb);
}

int message_build(struct cf *cf, const struct submit_request *req, FILE *in, FILE *df,
		  struct envelope *e, struct collect_result *cr, int *from_mailer)
{
	struct pool pool = POOL_INIT;
	struct strbuf deferred = STRBUF_INIT;
	struct rw_ctx ctx = {cf, &cf->macros, &pool, false, &deferred};
	struct collect_file_source fs;
	struct collect_source src;
	struct collect_opts co = {0};
	struct rcpt_list list;
	const char *user = text_invoking_user();
	time_t now = time(NULL);
	char buf[512];
	struct env_header *last_default;
	int good;

	e->ctime = now;
	snprintf(buf, sizeof(buf), "%s@localhost", user);
	define(cf, "_", buf);
	define(cf, "daemon_flags", "c u");
	envelope_set_macro(e, "_", buf);
	envelope_set_macro(e, "{daemon_flags}", "c u");
	define(cf, "i", e->id);
	define_dates(cf, now);
	*from_mailer = setup_sender(cf, &ctx, req, e);

	co.ignore_dots = req->ignore_dots;
	co.reject_nul = cf->opt.num[OPT_RejectNUL];
	co.save_from_line = cf->opt.num[OPT_SaveFromLine];
	co.max_size = cf->opt.num[OPT_MaxMessageSize];
	co.seven_bit = cf->opt.num[OPT_SevenBitInput] ||
		       (req->bodytype != NULL && strcasecmp(req->bodytype, "7BIT") == 0);
	collect_file_source_init(&fs, in, &src);
	collect_message(&src, df, e, &co, cr);
	collect_file_source_free(&fs);
	e->body_size = cr->body_bytes;
	if (cr->status == COLLECT_NUL) {
		fputs("NUL byte not allowed\n", cf->out);
		pool_release(&pool);
		sb_free(&deferred);
		return EX_DATAERR;
	}
	if (strict_8bit_refused(cf, req, e, cr)) {
		fputs("Eight bit data not allowed\n", cf->out);
		pool_release(&pool);
		sb_free(&deferred);
		return EX_DATAERR;
	}
	if (cr->status == COLLECT_TOO_BIG) {
		fputs("Message is too large\n", cf->out);
		pool_release(&pool);
		sb_free(&deferred);
		return EX_DATAERR;
	}
	if (cr->status != COLLECT_OK) {
		fputs("I/O error while reading the message\n", cf->out);
		pool_release(&pool);
		sb_free(&deferred);
		return EX_IOERR;
	}

	rcpt_list_init(&list, &ctx);
	for (int i = 0; i < req->nrcpts; i++)
		rcpt_send_to_list(&list, req->rcpts[i]);
	/* $u names the one recipient in Received: "for ..." (ruleset 5 may
	 * have defined it on the way) */
	define(cf, "u", NULL);
	if (req->nrcpts == 1 && list.queue != NULL)
		define(cf, "u", req->rcpts[0]);
	last_default = headers_add_defaults(cf, &cf->macros, e, false);
	if (req->read_recipients)
		add_header_recipients(&list, e);
	if (req->from != NULL && !req->trusted && strcmp(req->from, user) != 0 &&
	    (cf->opt.num[OPT_PrivacyOptions] & PRIV_AUTHWARNINGS)) {
		struct strbuf w = STRBUF_INIT, jx = STRBUF_INIT;
		const char *j = macro_get(&cf->macros, 'j');
		macro_expand(cf, &cf->macros, j ? j : "", &jx);
		sb_printf(&w, " %s: %s set sender to %s using -f", sb_str(&jx), user, req->from);
		/* sendmail puts it between its own headers and the message's */
		envelope_insert_header(e, last_default, "X-Authentication-Warning", sb_str(&w), NULL);
		sb_free(&w);
		sb_free(&jx);
	}

	good = rcpt_count_good(&list);
	store_recipients(cf, &list, req->notify, e);
	if (deferred.len > 0)
		envelope_set(&e->message, sb_str(&deferred));
	free(e->flags);
	e->flags = envelope_flags(req, e, cr->eight_bit);
	envelope_set(&e->envid, req->envid);
	/* sendmail keeps -B 8BITMIME only for a message that has 8-bit bytes */
	if (req->bodytype != NULL)
		envelope_set(&e->bodytype, strcasecmp(req->bodytype, "8BITMIME") == 0 && !cr->eight_bit
						   ? "7BIT"
						   : req->bodytype);
	e->priority = cr->header_bytes + cr->body_bytes +
		      (long)good * cf->opt.num[OPT_RecipientFactor];
	pool_release(&pool);
	sb_free(&deferred);
	if (good == 0) {
		if (req->read_recipients && list.n == 0)
			fputs("No recipient addresses found in header\n", cf->out);
		return list.n == 0 && !req->read_recipients ? EX_USAGE : EX_NOUSER;
	}
	return 0;
}
