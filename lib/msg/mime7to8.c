/*
 * mime7to8: decoding text/plain for mailers with F=9 (mime7to8.h).
 */
#include "msg/mime7to8.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "msg/envelope.h"
#include "util/strbuf.h"

static const struct env_header *find_header(const struct envelope *e, const char *name)
{
	for (const struct env_header *h = e->headers; h != NULL; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h;
	return NULL;
}

/* A header value without folding and surrounding blanks. */
static void unfolded(const char *v, struct strbuf *out)
{
	const char *end;

	v += strspn(v, " \t\r\n");
	end = v + strlen(v);
	while (end > v && strchr(" \t\r\n", end[-1]) != NULL)
		end--;
	for (; v < end; v++)
		if (*v != '\r' && *v != '\n')
			sb_putc(out, *v == '\t' ? ' ' : *v);
}

static bool is_text_plain(const char *v)
{
	struct strbuf t = STRBUF_INIT;
	bool yes;
	const char *s;

	unfolded(v, &t);
	s = sb_str(&t);
	yes = strncasecmp(s, "text/plain", 10) == 0 &&
	      (s[10] == '\0' || s[10] == ';' || s[10] == ' ' || s[10] == '(');
	sb_free(&t);
	return yes;
}

void mime7to8_encoding_name(const struct env_header *cte, struct strbuf *out)
{
	unfolded(cte->value, out);
}

void mime7to8_headers(const struct env_header *cte, const char *host, const char *qid,
                      const char *eol, struct strbuf *out)
{
	sb_printf(out, "Content-Transfer-Encoding: 8bit%s", eol);
	sb_puts(out, "X-MIME-Autoconverted: from ");
	mime7to8_encoding_name(cte, out);
	sb_printf(out, " to 8bit by %s id %s%s", host, qid, eol);
}

enum mime7to8_encoding mime7to8_check(const struct envelope *e, const struct env_header **cte)
{
	const struct env_header *ct = find_header(e, "Content-Type");
	const struct env_header *te = find_header(e, "Content-Transfer-Encoding");
	struct strbuf name = STRBUF_INIT;
	enum mime7to8_encoding enc = MIME7TO8_NONE;

	if (ct == NULL || te == NULL || !is_text_plain(ct->value))
		return MIME7TO8_NONE;
	mime7to8_encoding_name(te, &name);
	if (strcasecmp(sb_str(&name), "quoted-printable") == 0)
		enc = MIME7TO8_QP;
	else if (strcasecmp(sb_str(&name), "base64") == 0)
		enc = MIME7TO8_BASE64;
	sb_free(&name);
	*cte = te;
	return enc;
}

void mime7to8_init(struct mime7to8 *m, enum mime7to8_encoding enc)
{
	memset(m, 0, sizeof(*m));
	m->enc = enc;
}

/* ---- quoted-printable ---------------------------------------------------- */

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/* The end of an input line: a newline unless it was soft. */
static void qp_line_end(struct mime7to8 *m, struct strbuf *out)
{
	if (m->pending == 0 && !m->skipping)
		sb_putc(out, '\n');
	m->pending = 0;
	m->skipping = false;
	m->wrote = false; /* nothing of the next line yet */
}

static void qp_char(struct mime7to8 *m, char c, struct strbuf *out)
{
	m->wrote = true;
	if (m->skipping)
		return;
	if (m->pending > 0) {
		if (!isxdigit((unsigned char)c)) {
			/* '=' without two hex digits: the rest of the line goes */
			m->pending = 0;
			m->skipping = true;
			return;
		}
		m->hex[m->pending - 1] = c;
		if (++m->pending == 3) {
			sb_putc(out, (char)(hexval(m->hex[0]) * 16 + hexval(m->hex[1])));
			m->pending = 0;
		}
		return;
	}
	if (c == '=')
		m->pending = 1;
	else
		sb_putc(out, c);
}

static void qp_feed(struct mime7to8 *m, const char *p, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (m->pending_cr) {
			m->pending_cr = false;
			if (c == '\n') {
				qp_line_end(m, out);
				continue;
			}
			qp_char(m, '\r', out);
		}
		if (c == '\r')
			m->pending_cr = true;
		else if (c == '\n')
			qp_line_end(m, out);
		else
			qp_char(m, c, out);
	}
}

/* ---- base64 ---------------------------------------------------------------- */

static int b64val(char c)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *at = c != '\0' ? strchr(alphabet, c) : NULL;

	return at != NULL ? (int)(at - alphabet) : -1;
}

/* v >> n with the sign kept: an invalid character's -1 sets every bit */
static int shift_right(int v, int n)
{
	return v < 0 ? -1 : v >> n;
}

static void b64_emit(struct mime7to8 *m, char c, struct strbuf *out)
{
	m->last = c;
	m->wrote = true;
	sb_putc(out, c);
}

/* A decoded byte; CRLF becomes LF */
static void b64_put(struct mime7to8 *m, int byte, struct strbuf *out)
{
	char c = (char)(byte & 0xff);

	if (m->pending_cr) {
		m->pending_cr = false;
		if (c == '\n') {
			b64_emit(m, '\n', out);
			return;
		}
		b64_emit(m, '\r', out);
	}
	if (c == '\r')
		m->pending_cr = true;
	else
		b64_emit(m, c, out);
}

/* The bytes of the values gathered: 3 of 4, 2 of 3, 1 of 2. */
static void b64_flush(struct mime7to8 *m, struct strbuf *out)
{
	int *v = m->vals;

	if (m->nvals >= 2)
		b64_put(m, v[0] * 4 | shift_right(v[1], 4), out);
	if (m->nvals >= 3)
		b64_put(m, (v[1] & 0xf) * 16 | shift_right(v[2], 2), out);
	if (m->nvals >= 4)
		b64_put(m, (v[2] & 0x3) * 64 | v[3], out);
	m->nvals = 0;
}

static void b64_feed(struct mime7to8 *m, const char *p, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			/* padding ends the group; what follows is decoded too */
			b64_flush(m, out);
			continue;
		}
		m->vals[m->nvals++] = b64val(c);
		if (m->nvals == 4)
			b64_flush(m, out);
	}
}

/* ---- both ------------------------------------------------------------------- */

void mime7to8_feed(struct mime7to8 *m, const char *p, size_t n, struct strbuf *out)
{
	if (m->enc == MIME7TO8_QP)
		qp_feed(m, p, n, out);
	else if (m->enc == MIME7TO8_BASE64)
		b64_feed(m, p, n, out);
	else
		sb_put(out, p, n);
}

void mime7to8_finish(struct mime7to8 *m, struct strbuf *out)
{
	if (m->enc == MIME7TO8_QP) {
		if (m->pending_cr) {
			m->pending_cr = false;
			qp_char(m, '\r', out);
		}
		if (m->wrote) /* an unterminated last line */
			qp_line_end(m, out);
		sb_putc(out, '\n');
	} else if (m->enc == MIME7TO8_BASE64) {
		b64_flush(m, out);
		if (m->pending_cr) {
			m->pending_cr = false;
			b64_emit(m, '\r', out);
		}
		if (!m->wrote || m->last != '\n')
			sb_putc(out, '\n');
		sb_putc(out, '\n');
	}
}
