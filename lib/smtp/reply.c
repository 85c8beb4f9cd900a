/*
 * reply: strict, bounded parsing of SMTP replies (reply.h).
 */
#include "smtp/reply.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void reply_init(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
	sb_init(&r->text);
}

void reply_reset(struct smtp_reply *r)
{
	r->code = 0;
	r->enhanced[0] = '\0';
	r->nlines = 0;
	r->done = false;
	sb_reset(&r->text);
}

void reply_free(struct smtp_reply *r)
{
	sb_free(&r->text);
	reply_init(r);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reply-code = %x32-35 %x30-35 %x30-39 */
static int parse_code(const char *p)
{
	if (p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '5' || !is_digit(p[2]))
		return -1;
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

/* textstring: HT, printable ASCII, and UTF-8 octets (RFC 6531) */
static bool text_ok(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

/* 1*3DIGIT, returns the count (0 if none or more than three) */
static size_t digits(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && is_digit(p[i]))
		i++;
	return i >= 1 && i <= 3 ? i : 0;
}

/* RFC 3463 status-code = class "." subject "." detail, then SP or end. */
static void parse_enhanced(struct smtp_reply *r, const char *t, size_t n)
{
	size_t i, d;

	if (n < 5 || t[0] != '0' + reply_class(r) || t[1] != '.')
		return;
	i = 2;
	if ((d = digits(t + i, n - i)) == 0 || i + d >= n || t[i + d] != '.')
		return;
	i += d + 1;
	if ((d = digits(t + i, n - i)) == 0)
		return;
	i += d;
	if (i < n && t[i] != ' ')
		return;
	memcpy(r->enhanced, t, i);
	r->enhanced[i] = '\0';
}

int reply_add_line(struct smtp_reply *r, const char *line, size_t len)
{
	int code;
	bool last;
	const char *text = line + 4;
	size_t tlen = len > 4 ? len - 4 : 0;

	if (r->done)
		return -EINVAL;
	if (len < 3 || (code = parse_code(line)) < 0)
		return -EPROTO;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return -EPROTO;
	if (r->nlines > 0 && code != r->code)
		return -EPROTO;
	if (!text_ok(text, tlen))
		return -EPROTO;
	if (r->nlines >= REPLY_MAX_LINES || r->text.len + tlen + 1 > REPLY_MAX_TEXT)
		return -E2BIG;
	last = len == 3 || line[3] == ' ';
	if (r->nlines > 0)
		sb_putc(&r->text, '\n');
	sb_put(&r->text, text, tlen);
	if (r->nlines++ == 0) {
		r->code = code;
		parse_enhanced(r, text, tlen);
	}
	r->done = last;
	return last ? 0 : 1;
}

const char *reply_line(const struct smtp_reply *r, int i, size_t *len)
{
	const char *p = sb_str(&r->text), *end = p + r->text.len;

	if (i < 0 || i >= r->nlines)
		return NULL;
	for (; i > 0; i--)
		p = memchr(p, '\n', (size_t)(end - p)) + 1;
	{
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	}
	return p;
}
