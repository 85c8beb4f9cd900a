/*
 * readcf: the sendmail.cf reader (readcf.h).
 */
#include "cf/readcf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "cf/class.h"
#include "cf/classfile.h"
#include "cf/header.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "cf/milter.h"
#include "maps/map.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "version.h"

#define MAX_WILDCARDS 9
#define MAX_MAP_ARGS 10

/* Remove `#` comments the way sendmail does (not in column 1, not `$#`). */
static void strip_comments(char *line)
{
	for (char *p = line + 1; *p; p++) {
		if (*p != '#')
			continue;
		if (p[-1] == '$')
			continue;
		if (p[-1] == '\\') {
			memmove(p - 1, p, strlen(p) + 1);
			p--;
			continue;
		}
		while (p > line + 1 && (p[-1] == ' ' || p[-1] == '\t'))
			p--;
		*p = '\0';
		break;
	}
}

static void rstrip(char *s)
{
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* ---- R lines ------------------------------------------------------------ */

/* The tokens of one side of a rule in a single allocation: the vector,
 * then the strings (freed with one free()). */
static char **copy_tokens(char **vec, int n)
{
	size_t bytes = ((size_t)n + 1) * sizeof(char *);
	char **r;
	char *p;

	for (int i = 0; i < n; i++)
		bytes += strlen(vec[i]) + 1;
	r = xmalloc(bytes);
	p = (char *)(r + n + 1);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(vec[i]) + 1;
		r[i] = memcpy(p, vec[i], len);
		p += len;
	}
	r[n] = NULL;
	return r;
}

static int tokenize_side(struct cf *cf, const char *text, char **vec, struct pool *pool)
{
	struct strbuf exp = STRBUF_INIT;
	char *translated = macro_translate(cf, text);
	int n;
	macro_expand(cf, &cf->macros, translated, &exp);
	n = tok_scan(cf, sb_str(&exp), 0, TOK_RULE, vec, pool, NULL);
	free(translated);
	sb_free(&exp);
	return n < 0 ? 0 : n;
}

static const char *meta_name(unsigned char c)
{
	switch (c) {
	case META_MATCHZANY: return "$*";
	case META_MATCHANY: return "$+";
	case META_MATCHONE: return "$-";
	case META_MATCHCLASS: return "$=";
	case META_MATCHNCLASS: return "$~";
	default: return "$?";
	}
}

static bool is_wildcard(unsigned char c)
{
	return c == META_MATCHZANY || c == META_MATCHANY || c == META_MATCHONE ||
	       c == META_MATCHCLASS || c == META_MATCHNCLASS;
}

/* sendmail's read-time checks of the RHS. */
static void check_rhs(struct cf *cf, char **rhs, int nwild)
{
	bool in_lookup = false;
	int nargs = 0;

	for (char **t = rhs; *t; t++) {
		unsigned char c = (unsigned char)**t;
		if (is_wildcard(c)) {
			cf_error(cf, EX_SOFTWARE, "Inappropriate use of %s on RHS", meta_name(c));
		} else if (c == META_MATCHREPL) {
			int k = (*t)[1] - '0';
			if (k < 1 || k > nwild)
				cf_error(cf, EX_SOFTWARE, "replacement $%c out of bounds", (*t)[1]);
		} else if (c == META_HOSTBEGIN || c == META_LOOKUPBEGIN) {
			if (in_lookup)
				cf_error(cf, EX_SOFTWARE, "cannot nest map lookups");
			in_lookup = true;
			nargs = 0;
		} else if (c == META_HOSTEND || c == META_LOOKUPEND) {
			in_lookup = false;
		} else if (c == META_CANONHOST && in_lookup) {
			if (++nargs >= MAX_MAP_ARGS)
				cf_error(cf, EX_SOFTWARE, "too many arguments for map lookup");
		}
	}
	if (in_lookup)
		cf_error(cf, EX_SOFTWARE, "missing map closing token");
}

static void show_line_for_error(const char *line, struct strbuf *out)
{
	for (const char *p = line; *p; p++)
		sb_putc(out, *p == '$' ? '\001' : *p);
}

static void read_rule(struct cf *cf, const char *line, int ruleset)
{
	const char *tab = strchr(line + 1, '\t');
	const char *rhs_start, *rhs_end;
	char *lhs_text, *rhs_text;
	char *lvec[MAXATOM + 1], *rvec[MAXATOM + 1];
	int nl, nr, nwild = 0;
	struct pool pool = POOL_INIT;
	struct rule *r;

	if (tab == NULL) {
		struct strbuf shown = STRBUF_INIT;
		show_line_for_error(line, &shown);
		cf_error(cf, EX_SOFTWARE, "invalid rewrite line \"%s\" (tab expected)", sb_str(&shown));
		sb_free(&shown);
		return;
	}
	lhs_text = xstrndup(line + 1, (size_t)(tab - line - 1));
	rhs_start = tab;
	while (*rhs_start == '\t')
		rhs_start++;
	rhs_end = strchr(rhs_start, '\t');
	rhs_text = rhs_end ? xstrndup(rhs_start, (size_t)(rhs_end - rhs_start)) : xstrdup(rhs_start);

	nl = tokenize_side(cf, lhs_text, lvec, &pool);
	if (nl == 0)
		cf_error(cf, EX_SOFTWARE, "R line: null LHS");
	for (int i = 0; i < nl; i++)
		if (is_wildcard((unsigned char)lvec[i][0]))
			nwild++;
	if (nwild > MAX_WILDCARDS) {
		cf_error(cf, EX_SOFTWARE, "R line: too many wildcards");
		nl = 0;
	}
	nr = tokenize_side(cf, rhs_text, rvec, &pool);
	if (nr == 0)
		cf_error(cf, EX_SOFTWARE, "R line: null RHS");
	rvec[nr] = NULL;
	check_rhs(cf, rvec, nwild);

	r = xcalloc(1, sizeof(*r));
	r->lhs = copy_tokens(lvec, nl);
	r->rhs = copy_tokens(rvec, nr);
	r->line = cf->lineno;
	if (cf->rulesets[ruleset].last != NULL)
		cf->rulesets[ruleset].last->next = r;
	else
		cf->rulesets[ruleset].rules = r;
	cf->rulesets[ruleset].last = r;

	pool_release(&pool);
	free(lhs_text);
	free(rhs_text);
}

/* ---- other line types ---------------------------------------------------- */

static void read_version(struct cf *cf, const char *p)
{
	char *end;
	long level;

	if (!isdigit((unsigned char)*p)) {
		cf_error(cf, EX_SOFTWARE, "invalid argument to V line: \"%.20s\"", p);
		return;
	}
	level = strtol(p, &end, 10);
	cf->config_level = (int)level;
	cf->seen_v_line = true;
	if (*end == '/') {
		end++;
		if (strcmp(end, "Berkeley") != 0 && strcmp(end, "Sun") != 0) {
			cf_error(cf, EX_SOFTWARE, "invalid V line vendor code: \"%s\"", end);
			return;
		}
		free(cf->vendor);
		cf->vendor = xstrdup(end);
	}
}

static void read_macro_line(struct cf *cf, const char *p)
{
	int id = macro_parse_id(cf, &p);
	if (id > 0)
		macro_define_text(cf, &cf->macros, id, p);
}

static void read_class_line(struct cf *cf, const char *p)
{
	int id = macro_parse_id(cf, &p);
	char *translated;
	struct strbuf exp = STRBUF_INIT;
	if (id <= 0)
		return;
	translated = macro_translate(cf, p);
	macro_expand(cf, &cf->macros, translated, &exp);
	class_add_words(cf->classes, id, sb_str(&exp));
	free(translated);
	sb_free(&exp);
}

static void read_priority(struct cf *cf, const char *line, const char *p)
{
	const char *eq = strchr(p, '=');
	if (eq == NULL) {
		cf_error(cf, EX_SOFTWARE, "unknown configuration line \"%s\"", line);
		return;
	}
	cf->priorities = xrealloc(cf->priorities,
				  (size_t)(cf->npriorities + 1) * sizeof(*cf->priorities));
	cf->priorities[cf->npriorities].name = xstrndup(p, (size_t)(eq - p));
	cf->priorities[cf->npriorities].value = atoi(eq + 1);
	cf->npriorities++;
}

static void read_env(struct cf *cf, const char *p)
{
	struct strbuf sb = STRBUF_INIT;
	if (strchr(p, '=') == NULL) {
		const char *v = getenv(p);
		sb_printf(&sb, "%s=%s", p, v ? v : "");
	} else {
		sb_puts(&sb, p);
	}
	cf->mailer_env = xrealloc(cf->mailer_env, (size_t)(cf->nmailer_env + 1) * sizeof(char *));
	cf->mailer_env[cf->nmailer_env++] = sb_detach(&sb);
}

int cf_read_line(struct cf *cf, char *line)
{
	char *body;
	int rc = 0;

	strip_comments(line);
	rstrip(line);
	if (line[0] == '\0' || line[0] == '#')
		return 0;

	switch (line[0]) {
	case 'R':
		read_rule(cf, line, cf->current_ruleset);
		return 0;
	case 'S': {
		char name[64];
		int old, rs;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(line + 1, "= \t"), line + 1);
		old = cf_ruleset_find(cf, name);
		rs = cf_ruleset_parse(cf, line + 1, true);
		if (rs >= 0) {
			if (cf->rulesets[rs].rules != NULL ||
			    (old >= 0 && old != rs && cf->rulesets[old].rules != NULL))
				fprintf(cf->out, "WARNING: Ruleset %s has multiple definitions\n",
					line + 1);
			cf->rulesets[rs].declared = true;
			cf->current_ruleset = rs;
		}
		return 0;
	}
	case 'D':
		read_macro_line(cf, line + 1);
		return 0;
	case 'C':
		read_class_line(cf, line + 1);
		return 0;
	case 'F':
		classfile_read(cf, line + 1);
		return 0;
	case 'V':
		read_version(cf, line + 1);
		return 0;
	default:
		break;
	}

	body = macro_translate(cf, line + 1);
	switch (line[0]) {
	case 'K':
		map_declare(cf, body);
		break;
	case 'M':
		mailer_define(cf, body);
		break;
	case 'O':
		rc = option_set_line(cf, body, false);
		if (rc == 0 && strncmp(body, " OperatorChars", 14) == 0)
			tok_setup(cf);
		break;
	case 'H':
		header_define(cf, body);
		break;
	case 'P':
		read_priority(cf, line, body);
		break;
	case 'T':
		class_add_words(cf->classes, 't', body);
		break;
	case 'E':
		read_env(cf, body);
		break;
	case 'X':
		milter_define(cf, body);
		break;
	case 'Q':
		queue_group_define(cf, body);
		break;
	default:
		cf_error(cf, EX_SOFTWARE, "unknown configuration line \"%s\"", line);
		break;
	}
	free(body);
	return rc;
}

int cf_read_stream(struct cf *cf, FILE *f, const char *name)
{
	struct strbuf logical = STRBUF_INIT;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0, newlines = 0;

	free(cf->filename);
	cf->filename = xstrdup(name);
	while (rc == 0) {
		n = getline(&buf, &cap, f);
		if (n > 0 && logical.len > 0 && (buf[0] == ' ' || buf[0] == '\t')) {
			sb_put(&logical, buf, (size_t)n);
			newlines += buf[n - 1] == '\n';
			continue;
		}
		if (logical.len > 0) {
			char *line = sb_detach(&logical);
			size_t l = strlen(line);
			if (l > 0 && line[l - 1] == '\n')
				line[l - 1] = '\0';
			/* sendmail's line number counts the newlines read so far */
			cf->lineno = newlines;
			rc = cf_read_line(cf, line);
			free(line);
		}
		if (n < 0)
			break;
		sb_put(&logical, buf, (size_t)n);
		newlines += n > 0 && buf[n - 1] == '\n';
	}
	if (rc == 0 && ferror(f)) {
		cf_error(cf, EX_OSERR, "I/O read error");
		rc = EX_OSFILE;
	}
	free(buf);
	sb_free(&logical);
	cf->lineno = 0;
	return rc;
}

int cf_read_file(struct cf *cf, const char *path)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (f == NULL) {
		int e = errno;
		free(cf->filename);
		cf->filename = xstrdup(path);
		fprintf(cf->out, "%s: line 0: cannot open: %s\n", path, strerror(e));
		cf_set_status(cf, EX_OSFILE);
		return EX_OSFILE;
	}
	rc = cf_read_stream(cf, f, path);
	fclose(f);
	return rc;
}

int cf_finish(struct cf *cf, bool need_queue)
{
	if (cf->config_level < 10)
		fprintf(cf->out,
			"Warning: .cf file is out of date: sendmail %s supports version %d, .cf "
			"file is version %d\n",
			SDMAIL_VERSION, 10, cf->config_level);
	if (cf->local_mailer == NULL)
		cf_message(cf, EX_SOFTWARE, "No local mailer defined");
	if (need_queue && cf->opt.str[OPT_QueueDirectory] == NULL) {
		cf_message(cf, EX_CONFIG, "QueueDirectory (Q) option must be set");
		return EX_CONFIG;
	}
	return 0;
}
