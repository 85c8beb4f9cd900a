/*
 * parseaddr: address → mailer triple (parseaddr.h).
 */
#include "rules/parseaddr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "msg/crackaddr.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

void addr_message(struct cf *cf, const char *code, const char *addr, const char *text)
{
	if (cf->sink != NULL) {
		struct strbuf sb = STRBUF_INIT;
		/* sendmail names the address only in notes and in 550-553
		 * replies; "451 ..." and the like go out as the text says */
		bool named = code == NULL || code[0] == '0' ||
			     (strncmp(code, "55", 2) == 0 && code[2] >= '0' && code[2] <= '3');
		/* an error in an :include: or .forward file names its line */
		if (named && cf->input_file != NULL && cf->input_line > 0)
			sb_printf(&sb, "%s: line %d: ", cf->input_file, cf->input_line);
		if (addr != NULL && named)
			sb_printf(&sb, "%s... ", addr);
		sb_puts(&sb, text);
		cf->sink->emit(cf->sink->arg, code, sb_str(&sb));
		sb_free(&sb);
	} else if (addr != NULL) {
		cf_put_input_location(cf);
		fprintf(cf->out, "%s... %s\n", addr, text);
	} else {
		cf_put_input_location(cf);
		fprintf(cf->out, "%s\n", text);
	}
}

void addr_usrerr(struct cf *cf, const char *addr, const char *text)
{
	addr_message(cf, NULL, addr, text);
}

static const struct {
	const char *name;
	int code;
} error_codes[] = {
	{"usage", EX_USAGE},         {"nouser", EX_NOUSER},     {"nohost", EX_NOHOST},
	{"unavailable", EX_UNAVAILABLE}, {"software", EX_SOFTWARE}, {"tempfail", EX_TEMPFAIL},
	{"protocol", EX_PROTOCOL},   {"config", EX_CONFIG},     {"dataerr", EX_DATAERR},
	{"noinput", EX_NOINPUT},     {"oserr", EX_OSERR},       {"osfile", EX_OSFILE},
	{"cantcreat", EX_CANTCREAT}, {"ioerr", EX_IOERR},       {"noperm", EX_NOPERM},
};

/* An RFC 3463 status code as a sysexits value, following sendmail. */
static int dsn_to_exit(const char *dsn)
{
	static const struct {
		int subject, detail, status; /* detail -1: any */
	} table[] = {
		{0, -1, EX_UNAVAILABLE},
		{1, 0, EX_DATAERR},  {1, 1, EX_NOUSER},      {1, 6, EX_NOUSER},
		{1, 2, EX_NOHOST},   {1, 8, EX_NOHOST},      {1, 3, EX_USAGE},
		{1, 7, EX_USAGE},    {1, 4, EX_UNAVAILABLE}, {1, 5, EX_CONFIG},
		{2, 0, EX_UNAVAILABLE}, {2, 1, EX_UNAVAILABLE}, {2, 2, EX_UNAVAILABLE},
		{2, 4, EX_UNAVAILABLE}, {2, 3, EX_DATAERR},
		{3, -1, EX_OSERR},
		{4, 0, EX_IOERR},    {4, 1, EX_TEMPFAIL},    {4, 3, EX_TEMPFAIL},
		{4, 5, EX_TEMPFAIL}, {4, 2, EX_IOERR},       {4, 4, EX_PROTOCOL},
		{4, 6, EX_CONFIG},   {4, 7, EX_UNAVAILABLE},
		{5, -1, EX_PROTOCOL}, {6, -1, EX_UNAVAILABLE}, {7, -1, EX_DATAERR},
	};
	const char *p = dsn + 1;
	int subject, detail;

	if (dsn[0] == '2')
		return 0;
	if (dsn[0] == '4')
		return EX_TEMPFAIL;
	if (dsn[0] != '5')
		return EX_CONFIG;
	if (*p == '.')
		p++;
	subject = atoi(p);
	while (*p && *p != '.')
		p++;
	if (*p)
		p++;
	detail = atoi(p);
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].subject == subject && (table[i].detail < 0 || table[i].detail == detail))
			return table[i].status;
	return EX_UNAVAILABLE;
}

static bool is_smtp_code(const char *s)
{
	return (s[0] >= '2' && s[0] <= '5') && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]);
}

/* Length of an enhanced status code "x.y.z" at s followed by `term`, else 0. */
static int enhanced_code_len(const char *s, char term)
{
	const char *p = s;
	if (!(*p >= '2' && *p <= '5') || p[1] != '.')
		return 0;
	p += 2;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != '.' || !isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != term && !(term == ' ' && *p == '\0'))
		return 0;
	return (int)(p - s);
}

static char *join_tokens(struct rw_ctx *ctx, char **first, char **last, char spacesub)
{
	struct strbuf sb = STRBUF_INIT;
	char *r;
	tok_join(ctx->cf, first, last, &sb, spacesub);
	r = pool_strdup(ctx->pool, sb_str(&sb));
	sb_free(&sb);
	return r;
}

static void handle_error_mailer(struct rw_ctx *ctx, const char *addr, char *host, char *user,
				struct address *a)
{
	struct cf *cf = ctx->cf;
	int status = EX_UNAVAILABLE;
	char *text;

	a->mailer = NULL;
	a->mailer_name = "*error*";
	a->user = pool_strdup(ctx->pool, user);
	a->host = host;
	a->state = ADDR_BADADDR;
	if (host != NULL) {
		if (strchr(host, '.') != NULL) {
			a->dsn = host;
			status = dsn_to_exit(host);
		} else if (isdigit((unsigned char)host[0])) {
			status = atoi(host);
		} else {
			status = EX_UNAVAILABLE;
			for (size_t i = 0; i < sizeof(error_codes) / sizeof(error_codes[0]); i++)
				if (strcasecmp(error_codes[i].name, host) == 0)
					status = error_codes[i].code;
		}
	}
	a->exit_status = status;
	cf_set_status(cf, status);

	text = pool_strdup(ctx->pool, user);
	text_strip_quotes(text);
	if (is_smtp_code(text) && text[3] == ' ') {
		int off = enhanced_code_len(text + 4, ' ');
		const char *msg = off > 0 ? text + 4 + off + 1 : text + 4;
		char code[32];
		if (off > 0 && text[4 + off] == '\0')
			msg = "";
		/* the reply: the text's code, its enhanced code or the $@ one */
		if (off > 0)
			snprintf(code, sizeof(code), "%.3s %.*s", text, off, text + 4);
		else
			snprintf(code, sizeof(code), "%.3s %s", text,
				 a->dsn ? a->dsn : (text[0] == '4' ? "4.0.0" : "5.0.0"));
		addr_message(cf, code, addr, msg);
		if (text[0] == '4')
			a->state = ADDR_QUEUEUP;
	} else {
		/* text without a reply code: sendmail 8.17.1 says "553 5.3.0"
		 * whatever $@ gave (seen with check_etrn) */
		addr_message(cf, "553 5.3.0", addr, text);
	}
}

/* Rewrite the user part per mailer and join it; sets a->user. */
static void rewrite_user(struct rw_ctx *ctx, char **tv, const struct mailer *m, int flags,
			 struct address *a)
{
	struct cf *cf = ctx->cf;
	if (cf->config_level >= 10 || !(flags & (RF_SENDERADDR | RF_HEADERADDR))) {
		rw_rewrite(ctx, tv, RS_ENV_RECIPIENT, 0);
		if (m->r_env > 0)
			rw_rewrite(ctx, tv, m->r_env, 0);
	}
	rw_rewrite(ctx, tv, RS_FINAL, 0);
	a->user = join_tokens(ctx, tv, NULL, (char)cf->opt.num[OPT_BlankSub]);
	if (a->host != NULL && !mailer_has_flag(m, 'C'))
		for (char *p = a->host; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	if (!mailer_has_flag(m, 'u'))
		for (char *p = a->user; *p; p++)
			*p = (char)tolower((unsigned char)*p);
}

/* sendmail's buildaddr on a rewritten workspace. */
static void build_address(struct rw_ctx *ctx, const char *addr, char **tv, int flags,
			  struct address *a)
{
	struct cf *cf = ctx->cf;
	char **hostp = NULL, **userp;
	const char *mname;
	const struct mailer *m;
	char *host = NULL, *ubuf;

	if (*tv == NULL || (unsigned char)**tv != META_CANONNET) {
		cf_message(cf, EX_SOFTWARE, "buildaddr: no mailer in parsed address");
		a->state = ADDR_BADADDR;
		return;
	}
	mname = *++tv;
	if (mname == NULL) {
		cf_message(cf, EX_SOFTWARE, "buildaddr: no mailer in parsed address");
		a->state = ADDR_BADADDR;
		return;
	}
	tv++;
	if (*tv != NULL && (unsigned char)**tv == META_CANONHOST)
		hostp = ++tv;
	while (*tv != NULL && (unsigned char)**tv != META_CANONUSER)
		tv++;
	if (*tv == NULL) {
		cf_message(cf, EX_SOFTWARE, "buildaddr: no user");
		a->state = ADDR_BADADDR;
		return;
	}
	if (hostp == tv)
		hostp = NULL;
	else if (hostp != NULL)
		host = join_tokens(ctx, hostp, tv - 1, '\0');
	userp = tv + 1;
	ubuf = join_tokens(ctx, userp, NULL, ' ');

	if (strcasecmp(mname, "error") == 0) {
		handle_error_mailer(ctx, addr, host, ubuf, a);
		return;
	}
	m = mailer_find(cf, mname);
	if (m == NULL) {
		cf_message(cf, EX_SOFTWARE, "buildaddr: unknown mailer %s", mname);
		a->state = ADDR_BADADDR;
		return;
	}
	a->mailer = m;
	a->mailer_name = m->name;
	if (host == NULL && !mailer_has_flag(m, 'l')) {
		cf_message(cf, EX_SOFTWARE, "buildaddr: no host");
		a->state = ADDR_BADADDR;
		return;
	}
	a->host = host;

	/* special local users: |program, /file, :include: */
	{
		const char *p = ubuf;
		if (*p == '"')
			p++;
		if (*p == '|' && mailer_has_flag(m, '|') && cf->prog_mailer) {
			a->mailer = m = cf->prog_mailer;
			a->is_prog = true;
		} else if (*p == '/' && mailer_has_flag(m, '/') && cf->file_mailer) {
			a->mailer = m = cf->file_mailer;
			a->is_file = true;
		} else if (*p == ':' && mailer_has_flag(m, ':') &&
			   strncasecmp(p, ":include:", 9) == 0 && cf->include_mailer) {
			a->mailer = m = cf->include_mailer;
			a->is_include = true;
		}
		a->mailer_name = m->name;
	}

	/* "$: @user" on an '@' mailer marks the user as final */
	if (mailer_has_flag(m, '@') && userp[0] != NULL && strcmp(userp[0], "@") == 0 &&
	    userp[1] != NULL) {
		userp++;
		a->no_udb = true;
	}
	macro_define(ctx->env, 'h', host);
	if (a->is_include) {
		const char *p = ubuf;
		if (*p == '"')
			p++;
		a->user = pool_strdup(ctx->pool, p + 9);
		size_t n = strlen(a->user);
		if (n > 0 && ubuf[0] == '"' && a->user[n - 1] == '"')
			a->user[n - 1] = '\0';
		return;
	}
	rewrite_user(ctx, userp, m, flags, a);
}

/* sendmail's check for control characters in an address. */
static char *check_address_chars(struct rw_ctx *ctx, const char *addr, int delim)
{
	char *copy = pool_strdup(ctx->pool, addr);
	bool bad = false;
	for (char *p = copy; *p && *p != delim; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
			*p = '?';
			bad = true;
		}
	}
	if (bad) {
		cf_put_input_location(ctx->cf);
		fprintf(ctx->cf->out,
			"Syntax error in mailbox address \"%s\" (non-printable character)\n", copy);
	}
	return copy;
}

bool parse_address(struct rw_ctx *ctx, const char *addr, int flags, int delim,
		   const char **endp, struct address *a)
{
	struct cf *cf = ctx->cf;
	char *pvp[MAXATOM + 1];
	const char *end;
	char *clean;
	char *shown;
	bool queue_up = false;
	int n;

	memset(a, 0, sizeof(*a));
	clean = check_address_chars(ctx, addr, delim);
	n = tok_scan(cf, clean, delim, TOK_ADDR, pvp, ctx->pool, &end);
	if (endp)
		*endp = addr + (end - clean);
	if (n <= 0)
		return false;
	shown = pool_strndup(ctx->pool, addr, (size_t)(end - clean));
	for (size_t l = strlen(shown); l > 0 && (shown[l - 1] == ' ' || shown[l - 1] == '\t'); l--)
		shown[l - 1] = '\0';

	if (rw_rewrite(ctx, pvp, RS_CANONIFY, 0) == EX_TEMPFAIL)
		queue_up = true;
	if (rw_rewrite(ctx, pvp, RS_PARSE, 0) == EX_TEMPFAIL)
		queue_up = true;
	build_address(ctx, shown, pvp, flags, a);

	if (queue_up && a->state != ADDR_BADADDR) {
		const char *msg = cf->opt.num[OPT_DeliveryMode] == 'd'
					  ? "Deferring message until queue run"
					  : "Transient parse error -- message queued for future delivery";
		if (cf->show_messages && !(flags & RF_ALIASNAME))
			addr_usrerr(cf, shown, msg);
		a->state = ADDR_QUEUEUP;
		a->dsn = "4.4.3";
	}
	return true;
}

void build_address_from(struct rw_ctx *ctx, const char *addr, char **pvp, int flags,
			struct address *a)
{
	memset(a, 0, sizeof(*a));
	build_address(ctx, addr, pvp, flags, a);
}

void set_sender(struct rw_ctx *ctx, const char *from, struct address *a)
{
	char *pvp[MAXATOM + 1];
	struct strbuf sb = STRBUF_INIT;

	parse_address(ctx, from, RF_SENDERADDR, '\0', NULL, a);
	if (tok_scan(ctx->cf, from, '\0', TOK_RULE, pvp, ctx->pool, NULL) < 0)
		return;
	rw_rewrite(ctx, pvp, RS_CANONIFY, 0);
	rw_rewrite(ctx, pvp, RS_HEADER_SENDER, 0);
	rw_rewrite(ctx, pvp, RS_FINAL, 0);
	tok_join(ctx->cf, pvp, NULL, &sb, '\0');
	macro_define(ctx->env, 'g', sb_str(&sb));
	sb_free(&sb);
}

int remote_name(struct rw_ctx *ctx, const char *addr, const struct mailer *m, int flags,
		char **result)
{
	struct cf *cf = ctx->cf;
	char *pvp[MAXATOM + 1];
	int status = 0, st, rs;
	bool sender = flags & RF_SENDERADDR, header = flags & RF_HEADERADDR;
	char addr_type[4] = {header ? 'h' : 'e', ' ', sender ? 's' : 'r', '\0'};
	char *fancy;
	struct strbuf sb = STRBUF_INIT;
	const char *oldg;
	char *saved_g;

	*result = NULL;
	macro_define(ctx->env, macro_id(cf, "addr_type", true), addr_type);
	/* the full name and comments survive rewriting through a $g template */
	if ((flags & RF_CANONICAL) || mailer_has_flag(m, 'c')) {
		char g[3] = {(char)META_MACROEXPAND, 'g', '\0'};
		fancy = xstrdup(g);
	} else {
		fancy = crackaddr(cf, addr);
	}
	if (tok_scan(cf, addr, '\0', TOK_ADDR, pvp, ctx->pool, NULL) < 0) {
		free(fancy);
		return EX_USAGE;
	}
	st = rw_rewrite(ctx, pvp, RS_CANONIFY, 0);
	if (st != 0)
		status = st;
	rs = sender ? RS_HEADER_SENDER : RS_ENV_RECIPIENT;
	st = rw_rewrite(ctx, pvp, rs, 0);
	if (st != 0 && (status == 0 || st == EX_TEMPFAIL))
		status = st;
	rs = sender ? (header ? m->s_hdr : m->s_env) : (header ? m->r_hdr : m->r_env);
	if (rs > 0) {
		st = rw_rewrite(ctx, pvp, rs, 0);
		if (st != 0 && (status == 0 || st == EX_TEMPFAIL))
			status = st;
	}
	st = rw_rewrite(ctx, pvp, RS_FINAL, 0);
	if (st != 0 && (status == 0 || st == EX_TEMPFAIL))
		status = st;
	oldg = macro_get(ctx->env, 'g');
	saved_g = oldg ? xstrdup(oldg) : NULL;
	macro_define(ctx->env, 'g', join_tokens(ctx, pvp, NULL, '\0'));
	macro_expand(cf, ctx->env, fancy, &sb);
	macro_define(ctx->env, 'g', saved_g);
	free(saved_g);
	free(fancy);
	*result = pool_strdup(ctx->pool, sb_str(&sb));
	sb_free(&sb);
	return status;
}
