/*
 * mime7to8: 7 to 8 bit MIME decoding for F=9 mailers (mime7to8.h).
 *
 * What sendmail 8.17.1 delivers was recorded in
 * tests/integration/deliver/ (case mime7to8): quoted-printable lines are
 * decoded one by one, "=" at the end of a line joins it to the next, and
 * one LF ends the decoded text; base64 is decoded whole (padding ends a
 * quantum, not the text), CRLF becoming LF, an unterminated last line is
 * ended and one more LF follows.  Where
 * a quoted-printable sequence is not valid ("=ZZ") sdmail keeps it as it
 * is; sendmail drops characters.
 */
#include "msg/mime7to8.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg/envelope.h"
#include "util/strbuf.h"

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

static const struct env_header *find(const struct envelope *e, const char *name)
{
	for (const struct env_header *h = e->headers; h; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h;
	return NULL;
}

/* The word at p (up to white space or ';'), compared without case. */
static bool word_is(const char *p, const char *w)
{
	size_t n = strlen(w);
	return strncasecmp(p, w, n) == 0 && (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' ||
	                                     p[n] == ';' || p[n] == '\r' || p[n] == '\n');
}

enum mime7to8_kind mime7to8_wanted(const struct envelope *e, const char **cte)
{
	const struct env_header *ct = find(e, "Content-Type");
	const struct env_header *te = find(e, "Content-Transfer-Encoding");
	const char *v;

	if (ct == NULL || te == NULL || ct->value == NULL || te->value == NULL)
		return MIME7TO8_NONE;
	/* sendmail: text/plain followed by the end, a blank or ';' */
	v = skip_ws(ct->value);
	if (strncasecmp(v, "text/plain", 10) != 0 ||
	    (v[10] != '\0' && v[10] != ' ' && v[10] != ';'))
		return MIME7TO8_NONE;
	v = skip_ws(te->value);
	*cte = v;
	if (word_is(v, "quoted-printable"))
		return MIME7TO8_QP;
	if (word_is(v, "base64"))
		return MIME7TO8_BASE64;
	return MIME7TO8_NONE;
}

/* ---- quoted-printable ------------------------------------------------------ */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One line without its line end; true when it ends in a soft break. */
static bool qp_line(const char *p, size_t n, FILE *out)
{
	size_t end = n;

	/* white space after a soft break's "=" is padding */
	while (end > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t'))
		end--;
	for (size_t i = 0; i < end; i++) {
		if (p[i] != '=') {
			putc_unlocked(p[i], out);
			continue;
		}
		if (i + 1 == end)
			return true;
		int h = i + 2 < end ? hexval((unsigned char)p[i + 1]) : -1;
		int l = h < 0 ? -1 : hexval((unsigned char)p[i + 2]);
		if (l < 0) {
			putc_unlocked('=', out); /* not an encoding: kept */
			continue;
		}
		putc_unlocked(h << 4 | l, out);
		i += 2;
	}
	fwrite_unlocked(p + end, 1, n - end, out);
	return false;
}

static void qp_decode(FILE *in, FILE *out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, in)) > 0) {
		size_t len = (size_t)n;
		if (line[len - 1] == '\n')
			len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (!qp_line(line, len, out) && (size_t)n > len)
			putc_unlocked('\n', out);
	}
	free(line);
	putc_unlocked('\n', out);
}

/* ---- base64 ---------------------------------------------------------------- */

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

struct b64_out {
	FILE *out;
	bool cr;  /* a CR held back: it goes unless an LF follows */
	int last; /* the last byte written, -1 for none */
};

static void b64_put(struct b64_out *o, int c)
{
	if (o->cr && c != '\n') {
		putc_unlocked('\r', o->out);
		o->last = '\r';
	}
	o->cr = c == '\r';
	if (!o->cr) {
		putc_unlocked(c, o->out);
		o->last = c;
	}
}

static void b64_decode(FILE *in, FILE *out)
{
	struct b64_out o = {out, false, -1};
	unsigned v = 0;
	int bits = 0, c;

	while ((c = getc_unlocked(in)) != EOF) {
		int d = b64val(c);
		if (c == '=') {
			/* padding ends a quantum; more may follow (line by line) */
			bits = 0;
			continue;
		}
		if (d < 0)
			continue;
		v = (v << 6 | (unsigned)d) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			b64_put(&o, (int)(v >> bits & 0xff));
		}
	}
	if (o.cr) {
		putc_unlocked('\r', out);
		o.last = '\r';
	}
	if (o.last != '\n' && o.last != -1)
		putc_unlocked('\n', out);
	putc_unlocked('\n', out);
}

int mime7to8_decode(enum mime7to8_kind kind, FILE *in, FILE *out)
{
	if (kind == MIME7TO8_QP)
		qp_decode(in, out);
	else if (kind == MIME7TO8_BASE64)
		b64_decode(in, out);
	return ferror(in) || ferror(out) ? -EIO : 0;
}

/* ---- headers --------------------------------------------------------------- */

static bool is_cte(const char *p, size_t n)
{
	static const char name[] = "Content-Transfer-Encoding";
	size_t k = sizeof(name) - 1;
	if (n <= k || strncasecmp(p, name, k) != 0)
		return false;
	while (k < n && (p[k] == ' ' || p[k] == '\t'))
		k++;
	return k < n && p[k] == ':';
}

void mime7to8_headers(const char *hdrs, size_t len, const char *eol, const char *cte,
                      const char *host, const char *qid, struct strbuf *out)
{
	size_t i = 0, cte_len = strcspn(cte, "\r\n");

	while (cte_len > 0 && (cte[cte_len - 1] == ' ' || cte[cte_len - 1] == '\t'))
		cte_len--;
	while (i < len) {
		/* one field: its first line and the continuation lines */
		size_t j = i;
		do {
			const char *nl = memchr(hdrs + j, '\n', len - j);
			j = nl ? (size_t)(nl - hdrs) + 1 : len;
		} while (j < len && (hdrs[j] == ' ' || hdrs[j] == '\t'));
		if (!is_cte(hdrs + i, j - i))
			sb_put(out, hdrs + i, j - i);
		i = j;
	}
	sb_printf(out, "Content-Transfer-Encoding: 8bit%s", eol);
	sb_printf(out, "X-MIME-Autoconverted: from %.*s to 8bit by %s id %s%s", (int)cte_len, cte,
	          host ? host : "localhost", qid ? qid : "", eol);
}
