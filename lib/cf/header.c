/*
 * header: H line parsing (header.h).
 */
#include "cf/header.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "cf/meta.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void header_defs_free(struct header_def *h)
{
	while (h != NULL) {
		struct header_def *next = h->next;
		free(h->name);
		free(h->value);
		free(h->check_ruleset);
		free(h);
		h = next;
	}
}

static void syntax_error(struct cf *cf, const char *shown, size_t n)
{
	cf_error(cf, EX_SOFTWARE, "header syntax error, line \"%.*s\"", (int)n, shown);
}

void header_define(struct cf *cf, const char *body)
{
	struct header_def *h = xcalloc(1, sizeof(*h));
	const char *p = body, *colon, *v;
	size_t shown_len = strlen(body);

	if (*p == '?') {
		const char *end = strchr(p + 1, '?');
		if (end == NULL) {
			syntax_error(cf, body, shown_len);
			free(h);
			return;
		}
		shown_len = (size_t)(end - body);
		if ((unsigned char)p[1] == META_MACROEXPAND && p + 2 < end) {
			h->macro_cond = (unsigned char)p[2];
		} else {
			for (const unsigned char *f = (const unsigned char *)p + 1;
			     f < (const unsigned char *)end; f++)
				h->mflags[*f / 8] |= (unsigned char)(1u << (*f % 8));
		}
		p = end + 1;
	}
	colon = strchr(p, ':');
	if (colon == NULL || colon == p) {
		syntax_error(cf, body, shown_len);
		free(h);
		return;
	}
	h->name = xstrndup(p, (size_t)(colon - p));
	while (isspace((unsigned char)h->name[strlen(h->name) - 1]) && strlen(h->name) > 1)
		h->name[strlen(h->name) - 1] = '\0';
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	if ((unsigned char)*v == META_CALLSUBR) {
		v++;
		if (*v == '+') {
			h->keep_comments = true;
			v++;
		}
		while (isspace((unsigned char)*v))
			v++;
		h->check_ruleset = xstrndup(v, strcspn(v, " \t\n"));
	} else {
		h->value = xstrdup(v);
	}
	/* keep definition order */
	struct header_def **pp = &cf->headers;
	while (*pp)
		pp = &(*pp)->next;
	*pp = h;
}
