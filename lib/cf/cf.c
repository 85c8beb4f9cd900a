/*
 * cf: creation, destruction and error reporting of the loaded
 * configuration, and ruleset naming (cf.h).
 */
#include "cf/cf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cf/class.h"
#include "cf/macro.h"
#include "cf/header.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "cf/milter.h"
#include "maps/map.h"
#include "rules/token.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* sendmail's setstat: the first real error sticks; a temporary one can be
 * replaced by a later error */
void cf_set_status(struct cf *cf, int status)
{
	if (status != 0 && (cf->exit_status == 0 || cf->exit_status == EX_TEMPFAIL))
		cf->exit_status = status;
}

/* sendmail shows message text with the high bit of every byte cleared. */
static void put_masked(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		putc(*p & 0x7f, out);
}

static void vmessage(struct cf *cf, bool with_location, int status, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	if (with_location && cf->filename != NULL && cf->lineno > 0)
		sb_printf(&sb, "%s: line %d: ", cf->filename, cf->lineno);
	else if (!with_location && cf->input_file != NULL && cf->input_line > 0)
		sb_printf(&sb, "%s: line %d: ", cf->input_file, cf->input_line);
	sb_vprintf(&sb, fmt, ap);
	if (cf->sink != NULL && !with_location) {
		cf->sink->emit(cf->sink->arg, NULL, sb_str(&sb));
	} else {
		put_masked(cf->out, sb_str(&sb));
		putc('\n', cf->out);
	}
	sb_free(&sb);
	cf_set_status(cf, status);
	if (status != 0 && cf->lineno > 0)
		cf->config_errors++;
}

void cf_error(struct cf *cf, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(cf, true, status, fmt, ap);
	va_end(ap);
}

void cf_put_input_location(struct cf *cf)
{
	if (cf->input_file != NULL && cf->input_line > 0)
		fprintf(cf->out, "%s: line %d: ", cf->input_file, cf->input_line);
}

void cf_message(struct cf *cf, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(cf, false, status, fmt, ap);
	va_end(ap);
}

struct cf *cf_new(FILE *out)
{
	struct cf *cf = xcalloc(1, sizeof(*cf));
	cf->out = out;
	cf->next_named_id = META_NAMED_ID_MIN;
	cf->next_named_ruleset = MAXRWSETS - 1;
	cf->classes = class_table_new();
	options_defaults(cf);
	tok_setup(cf);
	map_registry_init(cf);
	mailer_setup_builtin(cf);
	return cf;
}

void cf_free(struct cf *cf)
{
	if (cf == NULL)
		return;
	map_registry_free(cf);
	for (int i = 0; i < MAXRWSETS; i++) {
		struct rule *r = cf->rulesets[i].rules;
		while (r != NULL) {
			struct rule *next = r->next;
			free(r->lhs); /* vector and strings are one allocation */
			free(r->rhs);
			free(r);
			r = next;
		}
		free(cf->rulesets[i].name);
	}
	for (int i = 0; i < MAXMAILERS; i++)
		mailer_free(cf->mailers[i]);
	header_defs_free(cf->headers);
	milter_defs_free(cf);
	for (int i = 0; i < cf->npriorities; i++)
		free(cf->priorities[i].name);
	free(cf->priorities);
	for (int i = 0; i < cf->nmailer_env; i++)
		free(cf->mailer_env[i]);
	free(cf->mailer_env);
	macro_env_clear(&cf->macros);
	for (int i = 0; i <= MAXMACROID; i++)
		free(cf->id_name[i]);
	class_table_free(cf->classes);
	options_free(&cf->opt);
	free(cf->filename);
	free(cf->vendor);
	free(cf);
}

int cf_ruleset_find(const struct cf *cf, const char *name)
{
	if (isdigit((unsigned char)*name)) {
		int n = atoi(name);
		return n >= 0 && n < MAXRWSETS ? n : -1;
	}
	for (int i = 0; i < MAXRWSETS; i++)
		if (cf->rulesets[i].name != NULL && strcmp(cf->rulesets[i].name, name) == 0)
			return i;
	return -1;
}

static bool valid_ruleset_name(const char *s, size_t n)
{
	if (n == 0 || !isalpha((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

int cf_ruleset_parse(struct cf *cf, const char *spec, bool create)
{
	const char *eq;
	size_t namelen;
	int number = -1, existing;
	char name[64];

	while (isspace((unsigned char)*spec))
		spec++;
	if (isdigit((unsigned char)*spec)) {
		number = atoi(spec);
		if (number < 0 || number >= MAXRWSETS / 2) {
			cf_error(cf, EX_SOFTWARE, "bad ruleset %d (%d max)", number, MAXRWSETS / 2);
			return -1;
		}
		return number;
	}
	eq = strchr(spec, '=');
	namelen = eq ? (size_t)(eq - spec) : strcspn(spec, " \t");
	if (!valid_ruleset_name(spec, namelen) || namelen >= sizeof(name)) {
		cf_error(cf, EX_SOFTWARE, "invalid ruleset name: \"%.20s\"", spec);
		return -1;
	}
	memcpy(name, spec, namelen);
	name[namelen] = '\0';
	if (eq != NULL) {
		const char *p = eq + 1;
		while (isspace((unsigned char)*p))
			p++;
		if (!isdigit((unsigned char)*p)) {
			cf_error(cf, EX_SOFTWARE,
				 "bad ruleset definition \"%s\" (number required after `=')", spec);
			return -1;
		}
		number = atoi(p);
		if (number < 0 || number >= MAXRWSETS / 2) {
			cf_error(cf, EX_SOFTWARE, "bad ruleset number %d in \"%s\" (%d max)", number,
				 spec, MAXRWSETS / 2);
			return -1;
		}
	}
	existing = cf_ruleset_find(cf, name);
	if (existing >= 0) {
		/* sendmail complains but keeps the name where it was */
		if (number >= 0 && number != existing)
			cf_error(cf, EX_SOFTWARE, "%s: ruleset changed value (old %d, new %d)", spec,
				 existing, number);
		return existing;
	} else if (!create) {
		return -1;
	}
	if (number < 0) {
		while (cf->next_named_ruleset >= MAXRWSETS / 2 &&
		       (cf->rulesets[cf->next_named_ruleset].name != NULL ||
			cf->rulesets[cf->next_named_ruleset].rules != NULL))
			cf->next_named_ruleset--;
		if (cf->next_named_ruleset < MAXRWSETS / 2) {
			cf_error(cf, EX_SOFTWARE, "%s: too many named rulesets (%d max)", name,
				 MAXRWSETS / 2);
			return -1;
		}
		number = cf->next_named_ruleset--;
	}
	free(cf->rulesets[number].name);
	cf->rulesets[number].name = xstrdup(name);
	return number;
}

const char *cf_ruleset_name(const struct cf *cf, int rs, char buf[12])
{
	if (rs >= 0 && rs < MAXRWSETS && cf->rulesets[rs].name != NULL)
		return cf->rulesets[rs].name;
	snprintf(buf, 12, "%d", rs);
	return buf;
}
