/*
 * macro: macro ids, definitions, expansion and `$` translation (macro.h).
 */
#include "cf/macro.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cf/meta.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_MACRO_NAME 25
#define MAX_EXPAND_DEPTH 20
/* like sendmail's fixed expansion buffer: macros that refer to each other
 * many times cannot make an expansion grow without bound */
#define MAX_EXPANSION 16384

int macro_id_find(const struct cf *cf, const char *name)
{
	if (name[0] != '\0' && name[1] == '\0')
		return (unsigned char)name[0];
	for (int id = META_NAMED_ID_MIN; id < cf->next_named_id; id++)
		if (cf->id_name[id] != NULL && strcmp(cf->id_name[id], name) == 0)
			return id;
	return 0;
}

int macro_id(struct cf *cf, const char *name, bool create)
{
	int id = macro_id_find(cf, name);
	if (id != 0 || !create || name[0] == '\0')
		return id;
	if (cf->next_named_id > MAXMACROID) {
		cf_error(cf, EX_SOFTWARE, "Macro/class {%s}: too many long names", name);
		return 0;
	}
	id = cf->next_named_id++;
	cf->id_name[id] = xstrdup(name);
	return id;
}

int macro_parse_id(struct cf *cf, const char **pp)
{
	const char *p = *pp;
	char name[MAX_MACRO_NAME + 2];
	size_t n = 0;
	int id;

	if (*p == '\0' || isspace((unsigned char)*p)) {
		cf_error(cf, EX_SOFTWARE, "Name required for macro/class");
		if (*p != '\0')
			(*pp)++;
		return *p == '\0' ? 0 : (unsigned char)*p;
	}
	if (*p != '{') {
		*pp = p + 1;
		return (unsigned char)*p;
	}
	p++;
	while (*p != '\0' && *p != '}') {
		if (n < MAX_MACRO_NAME + 1)
			name[n++] = *p;
		p++;
	}
	name[n < sizeof(name) ? n : sizeof(name) - 1] = '\0';
	if (*p == '}')
		p++;
	else
		cf_error(cf, EX_SOFTWARE, "Unbalanced { on %s", name);
	*pp = p;
	if (n > MAX_MACRO_NAME) {
		cf_error(cf, EX_SOFTWARE, "Macro/class name ({%s}) too long (%d chars max)", name,
			 MAX_MACRO_NAME);
		return 0;
	}
	if (n == 0) {
		cf_error(cf, EX_SOFTWARE, "Name required for macro/class");
		return 0;
	}
	id = macro_id(cf, name, true);
	return id;
}

const char *macro_plain_name(const struct cf *cf, int id, char buf[2])
{
	if (id >= META_NAMED_ID_MIN && cf->id_name[id] != NULL)
		return cf->id_name[id];
	buf[0] = (char)id;
	buf[1] = '\0';
	return buf;
}

void macro_define(struct macro_env *env, int id, const char *value)
{
	if (id <= 0 || id > MAXMACROID)
		return;
	free(env->val[id]);
	env->val[id] = value ? xstrdup(value) : NULL;
}

void macro_define_text(struct cf *cf, struct macro_env *env, int id, const char *text)
{
	char *v = macro_translate(cf, text);
	macro_define(env, id, v);
	free(v);
}

const char *macro_get(const struct macro_env *env, int id)
{
	for (; env != NULL; env = env->parent)
		if (id > 0 && id <= MAXMACROID && env->val[id] != NULL)
			return env->val[id];
	return NULL;
}

void macro_env_clear(struct macro_env *env)
{
	for (int i = 0; i <= MAXMACROID; i++) {
		free(env->val[i]);
		env->val[i] = NULL;
	}
}

static void expand_level(const struct cf *cf, const struct macro_env *env, const char *s,
			 struct strbuf *out, int depth)
{
	/* skipping[k]: text at conditional nesting level k is suppressed */
	bool skip_stack[64];
	int level = 0;
	bool skipping = false;

	if (depth > MAX_EXPAND_DEPTH)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (out->len >= MAX_EXPANSION)
			return;
		unsigned char c = *p;
		switch (c) {
		case META_CONDIF:
			if (p[1] == '\0')
				break;
			p++;
			if (level < 63)
				skip_stack[level] = skipping;
			level++;
			if (!skipping) {
				const char *v = macro_get(env, *p);
				skipping = v == NULL || *v == '\0';
			}
			continue;
		case META_CONDELSE:
			if (level == 0)
				break;
			if (!(level <= 63 && skip_stack[level - 1]))
				skipping = !skipping;
			continue;
		case META_CONDFI:
			if (level == 0)
				break;
			level--;
			skipping = level < 63 ? skip_stack[level] : skipping;
			continue;
		case META_MACROEXPAND:
			if (p[1] == '\0')
				break;
			p++;
			if (!skipping) {
				const char *v = macro_get(env, *p);
				if (v != NULL)
					expand_level(cf, env, v, out, depth + 1);
			}
			continue;
		default:
			break;
		}
		if (skipping)
			continue;
		sb_putc(out, (char)c);
		if (meta_has_arg(c) && p[1] != '\0')
			sb_putc(out, (char)*++p);
	}
}

void macro_expand(const struct cf *cf, const struct macro_env *env, const char *s,
		  struct strbuf *out)
{
	expand_level(cf, env, s, out, 0);
}

/* The meta for `$c`, or 0 when c names a macro. */
static unsigned char dollar_meta(char c)
{
	switch (c) {
	case '*': return META_MATCHZANY;
	case '+': return META_MATCHANY;
	case '-': return META_MATCHONE;
	case '=': return META_MATCHCLASS;
	case '~': return META_MATCHNCLASS;
	case '#': return META_CANONNET;
	case '@': return META_CANONHOST;
	case ':': return META_CANONUSER;
	case '>': return META_CALLSUBR;
	case '?': return META_CONDIF;
	case '|': return META_CONDELSE;
	case '.': return META_CONDFI;
	case '[': return META_HOSTBEGIN;
	case ']': return META_HOSTEND;
	case '(': return META_LOOKUPBEGIN;
	case ')': return META_LOOKUPEND;
	case '&': return META_MACRODEXPAND;
	default:
		if (c >= '0' && c <= '9')
			return META_MATCHREPL;
		return 0;
	}
}

char *macro_translate(struct cf *cf, const char *text)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = text;

	while (*p != '\0') {
		unsigned char m;
		if (*p != '$' || p[1] == '\0') {
			sb_putc(&out, *p++);
			continue;
		}
		p++;
		if (*p == '$') {
			sb_putc(&out, '$');
			p++;
			continue;
		}
		m = dollar_meta(*p);
		if (m == META_MATCHREPL) {
			sb_putc(&out, (char)m);
			sb_putc(&out, *p++);
		} else if (m == META_MATCHCLASS || m == META_MATCHNCLASS || m == META_CONDIF ||
			   m == META_MACRODEXPAND) {
			int id = 0;
			p++;
			/* at the end of the text sendmail is silent about the missing name */
			if (*p != '\0')
				id = macro_parse_id(cf, &p);
			sb_putc(&out, (char)m);
			if (id != 0)
				sb_putc(&out, (char)id);
		} else if (m != 0) {
			sb_putc(&out, (char)m);
			p++;
		} else {
			/* any character names a macro here, even a blank */
			int id = isspace((unsigned char)*p) ? (unsigned char)*p++ : macro_parse_id(cf, &p);
			if (id != 0) {
				sb_putc(&out, (char)META_MACROEXPAND);
				sb_putc(&out, (char)id);
			}
		}
	}
	return sb_detach(&out);
}
