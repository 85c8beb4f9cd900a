/*
 * putheader: outgoing header blocks (putheader.h).
 */
#include "msg/putheader.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "msg/envelope.h"
#include "msg/headers.h"
#include "rules/parseaddr.h"
#include "rules/rewrite.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define FOLD_COLUMN 78

static bool condition_met(const struct env_header *h, const struct mailer *m)
{
	if (h->cond == NULL)
		return true;
	for (const unsigned char *c = (const unsigned char *)h->cond; *c; c++)
		if (!mailer_has_flag(m, *c))
			return false;
	return true;
}

/* Length of the next address of a header list starting at p (up to a
 * top-level comma). */
static size_t next_address(const char *p)
{
	int angles = 0, comments = 0;
	bool quoted = false;
	size_t i;
	for (i = 0; p[i]; i++) {
		char c = p[i];
		if (c == '\\' && p[i + 1]) {
			i++;
			continue;
		}
		if (quoted) {
			quoted = c != '"';
			continue;
		}
		if (c == '"')
			quoted = true;
		else if (c == '(')
			comments++;
		else if (c == ')' && comments > 0)
			comments--;
		else if (c == '<')
			angles++;
		else if (c == '>' && angles > 0)
			angles--;
		else if (c == ',' && angles == 0 && comments == 0)
			break;
	}
	return i;
}

static void put_line_end(struct strbuf *out, const char *eol)
{
	sb_puts(out, eol);
}

/* Copy a value, turning its internal "\n" into the mailer's line ends. */
static void put_value(struct strbuf *out, const char *v, const char *eol)
{
	for (; *v; v++) {
		if (*v == '\n')
			put_line_end(out, eol);
		else
			sb_putc(out, *v);
	}
}

static void commaize(struct rw_ctx *ctx, const struct env_header *h, const struct mailer *m,
		     int flags, struct strbuf *out)
{
	const char *p = h->value;
	size_t col = strlen(h->name) + 1;
	bool first = true;

	sb_puts(out, h->name);
	sb_putc(out, ':');
	while (*p) {
		size_t n;
		char *one, *shown;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		n = next_address(p);
		one = xstrndup(p, n);
		for (size_t l = strlen(one); l > 0 && strchr(" \t\n", one[l - 1]); l--)
			one[l - 1] = '\0';
		remote_name(ctx, one, m, flags, &shown);
		if (shown == NULL)
			shown = one;
		if (!first) {
			sb_putc(out, ',');
			col++;
			if (col + 1 + strlen(shown) > FOLD_COLUMN) {
				put_line_end(out, m->eol);
				sb_putc(out, '\t');
				col = 8;
			} else {
				sb_putc(out, ' ');
				col++;
			}
		} else {
			sb_putc(out, ' ');
			col++;
		}
		sb_puts(out, shown);
		col += strlen(shown);
		first = false;
		free(one);
		p += n;
	}
	put_line_end(out, m->eol);
}

void putheaders(struct rw_ctx *ctx, const struct envelope *e, const struct mailer *m,
		struct strbuf *out)
{
	putheaders_except(ctx, e, m, NULL, out);
}

void putheaders_except(struct rw_ctx *ctx, const struct envelope *e, const struct mailer *m,
		       const struct env_header *skip, struct strbuf *out)
{
	struct cf *cf = ctx->cf;
	struct strbuf v = STRBUF_INIT;

	for (const struct env_header *h = e->headers; h; h = h->next) {
		unsigned long flags = header_flags(h->name);
		if (h == skip || !condition_met(h, m) || (flags & H_BCC))
			continue;
		if (flags & (H_FROM | H_RCPT)) {
			commaize(ctx, h, m, RF_HEADERADDR | ((flags & H_FROM) ? RF_SENDERADDR : 0),
				 out);
			continue;
		}
		sb_reset(&v);
		macro_expand(cf, ctx->env, h->value, &v);
		sb_puts(out, h->name);
		sb_putc(out, ':');
		put_value(out, sb_str(&v), m->eol);
		put_line_end(out, m->eol);
	}
	sb_free(&v);
}

void putheaders_seven_bit(const struct mailer *m, struct strbuf *out)
{
	if (!mailer_has_flag(m, '6'))
		return;
	for (size_t i = 0; i < out->len; i++)
		out->s[i] &= 0x7f;
}
