/*
 * crackaddr: address template extraction (crackaddr.h).
 */
#include "msg/crackaddr.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cf/cf.h"
#include "cf/meta.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define RFC_SPECIALS "@,;:\\()[]"

static void put_g(struct strbuf *out)
{
	sb_putc(out, (char)META_MACROEXPAND);
	sb_putc(out, 'g');
}

/* Index of the first top-level occurrence of c, or -1. */
static long find_top_level(const char *s, char c)
{
	int depth = 0;
	bool quoted = false, literal = false;
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (quoted) {
			if (*p == '"')
				quoted = false;
			continue;
		}
		if (literal) {
			if (*p == ']')
				literal = false;
			continue;
		}
		if (*p == '"') {
			quoted = true;
		} else if (*p == '[' && depth == 0) {
			literal = true;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (depth > 0)
				depth--;
		} else if (depth == 0 && *p == c) {
			return p - s;
		}
	}
	return -1;
}

static bool needs_quotes(const struct cf *cf, const char *s, size_t n)
{
	const char *extra = cf->opt.str[OPT_MustQuoteChars] ? cf->opt.str[OPT_MustQuoteChars] : ".'";
	bool quoted = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (strchr(RFC_SPECIALS, c) || strchr(extra, c))
			return true;
	}
	return false;
}

static void angle_form(const struct cf *cf, const char *s, long lt, struct strbuf *out)
{
	size_t plen = (size_t)lt, start = 0, end;
	const char *after;
	int depth = 1;
	bool quoted = false;

	/* the phrase, quoted when it has specials */
	while (start < plen && isspace((unsigned char)s[start]))
		start++;
	end = plen;
	while (end > start && isspace((unsigned char)s[end - 1]))
		end--;
	if (end > start && needs_quotes(cf, s + start, end - start) &&
	    !(s[start] == '"' && s[end - 1] == '"' && end - start > 1)) {
		sb_putc(out, '"');
		for (size_t i = start; i < end; i++)
			if (s[i] != '"')
				sb_putc(out, s[i]);
		sb_putc(out, '"');
		sb_put(out, s + end, plen - end);
	} else {
		sb_put(out, s + start, plen - start);
	}
	sb_putc(out, '<');
	{
		/* <> (the null address) has no address part */
		const char *q = s + lt + 1;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '>')
			put_g(out);
	}
	/* skip to the matching '>' */
	for (after = s + lt + 1; *after; after++) {
		if (*after == '\\' && after[1] != '\0') {
			after++;
			continue;
		}
		if (quoted) {
			if (*after == '"')
				quoted = false;
			continue;
		}
		if (*after == '"')
			quoted = true;
		else if (*after == '<')
			depth++;
		else if (*after == '>' && --depth == 0)
			break;
	}
	sb_putc(out, '>');
	if (*after == '>')
		sb_puts(out, after + 1);
}

/* No angle brackets: the address is everything outside comments. */
static void plain_form(const char *s, struct strbuf *out)
{
	struct strbuf comments = STRBUF_INIT;
	bool have_addr = false, quoted = false;
	int depth = 0;

	for (const char *p = s; *p; p++) {
		if (depth > 0) {
			if (*p == '\\' && p[1] != '\0') {
				sb_putc(&comments, *p++);
				sb_putc(&comments, *p);
				continue;
			}
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0) {
				sb_putc(&comments, ')');
				continue;
			}
			sb_putc(&comments, *p);
			continue;
		}
		if (!quoted && *p == '(') {
			if (comments.len > 0 || have_addr)
				sb_putc(&comments, ' ');
			sb_putc(&comments, '(');
			depth = 1;
			continue;
		}
		if (*p == '\\' && p[1] != '\0') {
			p++;
			have_addr = true;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		if (!isspace((unsigned char)*p))
			have_addr = true;
	}
	while (depth-- > 0)
		sb_putc(&comments, ')');
	if (have_addr)
		put_g(out);
	sb_put(out, comments.s ? comments.s : "", comments.len);
	sb_free(&comments);
}

char *crackaddr(const struct cf *cf, const char *addr)
{
	struct strbuf out = STRBUF_INIT;
	char *s = xstrdup(addr);
	size_t n = strlen(s);
	char *p = s;
	long lt, colon;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*p))
		p++;

	lt = find_top_level(p, '<');
	if (lt >= 0) {
		angle_form(cf, p, lt, &out);
	} else if ((colon = find_top_level(p, ':')) >= 0) {
		const char *rest = p + colon + 1;
		const char *semi;
		size_t ws = 0;
		if (colon > 0 && needs_quotes(cf, p, (size_t)colon) &&
		    !(p[0] == '"' && p[colon - 1] == '"')) {
			sb_putc(&out, '"');
			sb_put(&out, p, (size_t)colon);
			sb_puts(&out, "\":");
		} else {
			sb_put(&out, p, (size_t)colon + 1);
		}
		while (isspace((unsigned char)rest[ws]))
			ws++;
		sb_put(&out, rest, ws);
		semi = strrchr(rest, ';');
		if (rest[ws] != '\0' && (semi == NULL || semi > rest + ws))
			put_g(&out);
		if (semi != NULL)
			sb_puts(&out, semi);
	} else {
		plain_form(p, &out);
	}
	free(s);
	return sb_detach(&out);
}
