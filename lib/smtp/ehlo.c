/*
 * ehlo: parsing the extension list of an EHLO reply (ehlo.h).
 */
#include "smtp/ehlo.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smtp/reply.h"
#include "util/strbuf.h"

static const struct {
	const char *name;
	unsigned flag;
} keywords[] = {
	{"PIPELINING", EXT_PIPELINING},
	{"SIZE", EXT_SIZE},
	{"8BITMIME", EXT_8BITMIME},
	{"DSN", EXT_DSN},
	{"STARTTLS", EXT_STARTTLS},
	{"AUTH", EXT_AUTH},
	{"ENHANCEDSTATUSCODES", EXT_ENHANCEDSTATUSCODES},
	{"DELIVERBY", EXT_DELIVERBY},
	{"SMTPUTF8", EXT_SMTPUTF8},
};

#define NKEYWORDS (sizeof(keywords) / sizeof(keywords[0]))
#define SASL_MECH_MAX 20 /* RFC 4422 3.1 */

void ehlo_init(struct smtp_ext *ext)
{
	memset(ext, 0, sizeof(*ext));
}

void ehlo_free(struct smtp_ext *ext)
{
	free(ext->auth_mechs);
	ehlo_init(ext);
}

const char *ehlo_flag_name(unsigned flag)
{
	for (size_t i = 0; i < NKEYWORDS; i++)
		if (keywords[i].flag == flag)
			return keywords[i].name;
	return NULL;
}

/* ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") */
static size_t keyword_len(const char *p, size_t n)
{
	size_t i = 0;

	if (n == 0 || !isalnum((unsigned char)p[0]))
		return 0;
	while (i < n && (isalnum((unsigned char)p[i]) || p[i] == '-'))
		i++;
	return i;
}

/* A decimal number filling [p, p+n) exactly, without overflow. */
static bool parse_number(const char *p, size_t n, unsigned long long *ret)
{
	unsigned long long v = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned d;
		if (!isdigit((unsigned char)p[i]))
			return false;
		d = (unsigned)(p[i] - '0');
		if (v > (ULLONG_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret = v;
	return true;
}

/* sasl-mech = 1*20mech-char; mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE */
static bool mech_ok(const char *p, size_t n)
{
	if (n == 0 || n > SASL_MECH_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '-' && p[i] != '_')
			return false;
	return true;
}

/* Is `word` (any case) one of the space-separated words of `list`? */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (list != NULL && *list != '\0') {
		const char *sp = strchr(list, ' ');
		size_t len = sp ? (size_t)(sp - list) : strlen(list);
		if (len == n && strncasecmp(list, word, n) == 0)
			return true;
		list = sp ? sp + 1 : NULL;
	}
	return false;
}

static void add_mech(struct strbuf *mechs, const char *p, size_t n)
{
	char upper[SASL_MECH_MAX + 1];

	if (!mech_ok(p, n))
		return;
	for (size_t i = 0; i < n; i++)
		upper[i] = (char)toupper((unsigned char)p[i]);
	upper[n] = '\0';
	if (has_word(sb_str(mechs), upper))
		return;
	if (mechs->len > 0)
		sb_putc(mechs, ' ');
	sb_put(mechs, upper, n);
}

/* Space-separated words of [p, end): AUTH mechanisms. */
static void add_mechs(struct strbuf *mechs, const char *p, const char *end)
{
	while (p < end) {
		const char *w = p;
		while (w < end && *w == ' ')
			w++;
		p = w;
		while (p < end && *p != ' ')
			p++;
		if (p > w)
			add_mech(mechs, w, (size_t)(p - w));
	}
}

/* The first parameter: [p, end) after the keyword, up to the next space. */
static const char *first_param(const char *p, const char *end, size_t *n)
{
	const char *q;

	while (p < end && *p == ' ')
		p++;
	q = p;
	while (q < end && *q != ' ')
		q++;
	*n = (size_t)(q - p);
	return p;
}

static void parse_line(struct smtp_ext *ext, struct strbuf *mechs, const char *p, size_t n)
{
	const char *end = p + n, *param;
	size_t klen = keyword_len(p, n), plen;
	unsigned long long v;

	/* the pre-standard "AUTH=LOGIN PLAIN" form some servers still send */
	if (n > 5 && strncasecmp(p, "AUTH=", 5) == 0) {
		ext->flags |= EXT_AUTH;
		add_mechs(mechs, p + 5, end);
		return;
	}
	if (klen == 0 || (klen < n && p[klen] != ' '))
		return;
	for (size_t i = 0; i < NKEYWORDS; i++) {
		if (strlen(keywords[i].name) != klen || strncasecmp(p, keywords[i].name, klen) != 0)
			continue;
		ext->flags |= keywords[i].flag;
		param = first_param(p + klen, end, &plen);
		if (keywords[i].flag == EXT_SIZE && parse_number(param, plen, &v))
			ext->size_max = v;
		else if (keywords[i].flag == EXT_DELIVERBY && parse_number(param, plen, &v) &&
			 v <= LLONG_MAX)
			ext->deliverby_min = (long long)v;
		else if (keywords[i].flag == EXT_AUTH)
			add_mechs(mechs, p + klen, end);
		return;
	}
}

int ehlo_parse(struct smtp_ext *ext, const struct smtp_reply *r)
{
	struct strbuf mechs = STRBUF_INIT;

	ehlo_free(ext);
	if (!r->done || reply_class(r) != 2)
		return -EINVAL;
	for (int i = 1; i < r->nlines; i++) {
		size_t n;
		const char *line = reply_line(r, i, &n);
		parse_line(ext, &mechs, line, n);
	}
	ext->auth_mechs = mechs.len > 0 ? sb_detach(&mechs) : NULL;
	sb_free(&mechs);
	return 0;
}

bool ehlo_has_auth(const struct smtp_ext *ext, const char *mech)
{
	return has_word(ext->auth_mechs, mech);
}
