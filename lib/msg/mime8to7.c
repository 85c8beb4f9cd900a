/*
 * mime8to7: 8 to 7 bit MIME conversion (mime8to7.h).
 *
 * What sendmail 8.17.1 sends was recorded in tests/integration/mime/;
 * the rules below are read off those transcripts:
 * - a boundary line takes the line end before it: that LF is not part of
 *   the content encoded (RFC 2046), the LF at the end of the input is;
 * - quoted-printable: bytes >= 0x80, "=", control characters but tab,
 *   DEL, white space ending a line and a line that is only "." are
 *   written =XX; before any output token a line of more than 72
 *   characters is ended with a soft break "=";
 * - base64: line ends become CRLF, 72 characters a line;
 * - an encoded part ends with a line end when its last line has text or
 *   when it lies inside a multipart (so a part that ended in LF at the
 *   end of the input shows an empty line);
 * - a multipart left open at the end of the input is closed.
 */
#include "msg/mime8to7.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- the encoders --------------------------------------------------------- */

#define QP_MAX_LINE 72 /* a longer line gets a soft break before more */
#define B64_LINE 72

struct qp_enc {
	FILE *out;
	size_t linelen;
};

static void qp_token(struct qp_enc *q, const char *t, size_t n)
{
	if (q->linelen > QP_MAX_LINE) {
		fputs("=\n", q->out);
		q->linelen = 0;
	}
	if (n == 1)
		putc_unlocked(*t, q->out);
	else
		fwrite_unlocked(t, 1, n, q->out);
	q->linelen += n;
}

static bool qp_must_encode(unsigned char c, bool last)
{
	if (c >= 0x80 || c == '=' || c == 0x7f)
		return true;
	if (c == ' ' || c == '\t')
		return last;
	return c < 0x20;
}

/* One line of content, without its LF; `lf` when one followed it. */
static void qp_line(struct qp_enc *q, const char *p, size_t n, bool lf)
{
	static const char hex[] = "0123456789ABCDEF";

	if (n == 1 && p[0] == '.') {
		qp_token(q, "=2E", 3);
	} else {
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (qp_must_encode(c, i + 1 == n)) {
				char t[3] = {'=', hex[c >> 4], hex[c & 15]};
				qp_token(q, t, 3);
			} else {
				qp_token(q, (const char *)&p[i], 1);
			}
		}
	}
	if (lf) {
		fputc('\n', q->out);
		q->linelen = 0;
	}
}

static void qp_end(struct qp_enc *q, bool in_multipart)
{
	if (q->linelen > 0 || in_multipart)
		fputc('\n', q->out);
	q->linelen = 0;
}

struct b64_enc {
	FILE *out;
	unsigned char in[3];
	size_t nin;
	size_t linelen;
};

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_emit(struct b64_enc *b, const char quad[4])
{
	for (int i = 0; i < 4; i++) {
		if (b->linelen == B64_LINE) {
			fputc('\n', b->out);
			b->linelen = 0;
		}
		putc_unlocked(quad[i], b->out);
		b->linelen++;
	}
}

static void b64_group(struct b64_enc *b)
{
	unsigned v = (unsigned)b->in[0] << 16 | (unsigned)b->in[1] << 8 | b->in[2];
	char quad[4] = {b64_alphabet[v >> 18 & 63], b64_alphabet[v >> 12 & 63],
	                b64_alphabet[v >> 6 & 63], b64_alphabet[v & 63]};
	if (b->nin < 3)
		quad[3] = '=';
	if (b->nin < 2)
		quad[2] = '=';
	b64_emit(b, quad);
	b->nin = 0;
	memset(b->in, 0, sizeof(b->in));
}

static void b64_byte(struct b64_enc *b, unsigned char c)
{
	b->in[b->nin++] = c;
	if (b->nin == 3)
		b64_group(b);
}

/* One line of content, its LF (when `lf`) sent as CRLF. */
static void b64_line(struct b64_enc *b, const char *p, size_t n, bool lf)
{
	for (size_t i = 0; i < n; i++)
		b64_byte(b, (unsigned char)p[i]);
	if (lf) {
		b64_byte(b, '\r');
		b64_byte(b, '\n');
	}
}

static void b64_end(struct b64_enc *b, bool in_multipart)
{
	if (b->nin > 0)
		b64_group(b);
	if (b->linelen > 0 || in_multipart)
		fputc('\n', b->out);
	b->linelen = 0;
}

bool mime8to7_wants_base64(size_t size, size_t highbits)
{
	return highbits > size / 8;
}

/* Feeds content (LF line ends) to `line` one line at a time. */
static void each_line(const char *p, size_t n, void (*line)(void *, const char *, size_t, bool),
                      void *arg)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;
		line(arg, p, len, nl != NULL);
		len += nl ? 1 : 0;
		p += len;
		n -= len;
	}
}

static void qp_line_cb(void *arg, const char *p, size_t n, bool lf)
{
	qp_line(arg, p, n, lf);
}

static void b64_line_cb(void *arg, const char *p, size_t n, bool lf)
{
	b64_line(arg, p, n, lf);
}

void mime8to7_qp(const char *p, size_t n, bool in_multipart, FILE *out)
{
	struct qp_enc q = {out, 0};
	each_line(p, n, qp_line_cb, &q);
	qp_end(&q, in_multipart);
}

void mime8to7_base64(const char *p, size_t n, bool in_multipart, FILE *out)
{
	struct b64_enc b = {.out = out};
	each_line(p, n, b64_line_cb, &b);
	b64_end(&b, in_multipart);
}

/* ---- reading the body line by line ---------------------------------------- */

struct reader {
	FILE *in;
	char *line;
	size_t cap;
	ssize_t len; /* of the current line, -1 at the end */
	bool pushed; /* the current line is to be read again */
};

static ssize_t rd_next(struct reader *r)
{
	if (r->pushed) {
		r->pushed = false;
		return r->len;
	}
	r->len = getline(&r->line, &r->cap, r->in);
	return r->len;
}

/* ---- headers -------------------------------------------------------------- */

struct field {
	char *text; /* as read, folding and line ends kept */
	size_t len;
};

struct headers {
	struct field *f;
	size_t n, cap;
};

static void hdr_add(struct headers *h, const char *p, size_t n)
{
	h->f = xgrow(h->f, &h->cap, h->n + 1, sizeof(*h->f));
	h->f[h->n].text = xstrndup(p, n);
	h->f[h->n].len = n;
	h->n++;
}

/* A continuation line goes with the field before it. */
static void hdr_line(struct headers *h, const char *p, size_t n)
{
	if ((p[0] == ' ' || p[0] == '\t') && h->n > 0) {
		struct field *f = &h->f[h->n - 1];
		f->text = xrealloc(f->text, f->len + n + 1);
		memcpy(f->text + f->len, p, n);
		f->len += n;
		f->text[f->len] = '\0';
		return;
	}
	hdr_add(h, p, n);
}

static void hdr_free(struct headers *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->f[i].text);
	free(h->f);
	*h = (struct headers){0};
}

static bool field_is(const struct field *f, const char *name)
{
	size_t n = strlen(name);
	const char *p = f->text + n;
	if (f->len <= n || strncasecmp(f->text, name, n) != 0)
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == ':';
}

/* The field's value, unfolded; NULL when there is no such field. */
static char *hdr_value(const struct headers *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++) {
		const struct field *f = &h->f[i];
		if (!field_is(f, name))
			continue;
		const char *p = strchr(f->text, ':') + 1;
		char *v = xstrdup(p), *w = v;
		for (const char *s = p; *s; s++)
			if (*s != '\r' && *s != '\n')
				*w++ = *s;
		*w = '\0';
		return v;
	}
	return NULL;
}

/* ---- Content-Type and Content-Transfer-Encoding --------------------------- */

struct entity {
	char type[128];                            /* "text/plain", lower case; "" when not given */
	char *boundary;                            /* multipart's boundary parameter, or NULL */
	bool has_ctype, has_mime_version, encoded; /* encoded: CTE base64 etc. */
};

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A parameter's value at p (quoted or a token); *end set after it. */
static char *param_value(const char *p, const char **end)
{
	struct strbuf v = STRBUF_INIT;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			sb_putc(&v, *p);
		}
		if (*p == '"')
			p++;
	} else {
		while (*p && *p != ';' && *p != ' ' && *p != '\t')
			sb_putc(&v, *p++);
	}
	*end = p;
	return sb_detach(&v);
}

static void parse_params(struct entity *en, const char *p)
{
	while ((p = strchr(p, ';')) != NULL) {
		const char *name = skip_ws(p + 1), *eq = name;
		while (*eq && *eq != '=' && *eq != ';')
			eq++;
		if (*eq != '=') {
			p = eq;
			continue;
		}
		const char *ne = eq;
		while (ne > name && (ne[-1] == ' ' || ne[-1] == '\t'))
			ne--;
		char *v = param_value(skip_ws(eq + 1), &p);
		size_t vl = strlen(v);
		/* a boundary line's trailing white space is not its boundary's
		 * (RFC 2046 5.1.1): nor is the parameter's */
		while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			v[--vl] = '\0';
		if ((size_t)(ne - name) == 8 && strncasecmp(name, "boundary", 8) == 0 &&
		    en->boundary == NULL && v[0] != '\0')
			en->boundary = v;
		else
			free(v);
	}
}

static void parse_ctype(struct entity *en, const char *v)
{
	size_t n = 0;
	const char *p = skip_ws(v);
	while (*p && *p != ';' && *p != ' ' && *p != '\t' && *p != '(' && n + 1 < sizeof(en->type))
		en->type[n++] = (char)tolower((unsigned char)*p++);
	en->type[n] = '\0';
	parse_params(en, p);
}

/* 7bit, 8bit, binary or none: the part is not encoded yet. */
static bool cte_is_identity(const char *v)
{
	char word[16];
	size_t n = 0;
	const char *p = skip_ws(v);
	while (*p && *p != ' ' && *p != '\t' && *p != ';' && *p != '(' && n + 1 < sizeof(word))
		word[n++] = (char)tolower((unsigned char)*p++);
	word[n] = '\0';
	return strcmp(word, "7bit") == 0 || strcmp(word, "8bit") == 0 ||
	       strcmp(word, "binary") == 0;
}

static void entity_read(struct entity *en, const struct headers *h)
{
	char *ct = hdr_value(h, "Content-Type"), *cte = hdr_value(h, "Content-Transfer-Encoding");
	char *mv = hdr_value(h, "MIME-Version");

	*en = (struct entity){0};
	if (ct != NULL) {
		en->has_ctype = true;
		parse_ctype(en, ct);
	}
	en->has_mime_version = mv != NULL;
	en->encoded = cte != NULL && !cte_is_identity(cte);
	free(ct);
	free(cte);
	free(mv);
}

/* ---- the walk ------------------------------------------------------------- */

enum term_kind { T_EOF, T_SEP, T_FINAL };

struct term {
	enum term_kind kind;
};

struct walk {
	const struct mime8to7 *opt;
	FILE *out;
	struct reader rd;
	const char *bnd[MIME8TO7_MAX_DEPTH];
	size_t bndlen[MIME8TO7_MAX_DEPTH];
	int depth;
	bool open_line; /* the last line copied had no LF (the end of the input) */
	int err;
};

/* Whether the line is "--B" or "--B--" for a boundary B of the stack. */
static bool is_boundary(const struct walk *w, const char *p, size_t n, struct term *t)
{
	if (n < 2 || p[0] != '-' || p[1] != '-')
		return false;
	while (n > 2 &&
	       (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	for (int l = w->depth - 1; l >= 0; l--) {
		size_t bl = w->bndlen[l];
		if (n - 2 < bl || memcmp(p + 2, w->bnd[l], bl) != 0)
			continue;
		if (n - 2 == bl) {
			*t = (struct term){T_SEP};
			return true;
		}
		if (n - 2 == bl + 2 && p[n - 2] == '-' && p[n - 1] == '-') {
			*t = (struct term){T_FINAL};
			return true;
		}
	}
	return false;
}

/* The next line, or false at a boundary (pushed back, *t set) or the end. */
static bool next_content_line(struct walk *w, struct term *t)
{
	ssize_t n = rd_next(&w->rd);
	if (n < 0) {
		*t = (struct term){T_EOF};
		return false;
	}
	if (is_boundary(w, w->rd.line, (size_t)n, t)) {
		w->rd.pushed = true;
		return false;
	}
	return true;
}

/*
 * Copies lines up to a boundary or the end: as they are, or (`strip`, a
 * preamble or epilogue) with the eighth bit of every byte cleared.
 */
static struct term copy_lines(struct walk *w, bool strip)
{
	struct term t;
	while (next_content_line(w, &t)) {
		if (strip)
			for (ssize_t i = 0; i < w->rd.len; i++)
				w->rd.line[i] &= 0x7f;
		fwrite(w->rd.line, 1, (size_t)w->rd.len, w->out);
		w->open_line = w->rd.line[w->rd.len - 1] != '\n';
	}
	return t;
}

/* A part's headers, up to an empty line or a boundary line (dropped, as sendmail does). */
static void read_headers(struct walk *w, struct headers *h)
{
	struct term t;
	while (next_content_line(w, &t) || w->rd.pushed) {
		if (w->rd.pushed) {
			w->rd.pushed = false;
			return;
		}
		const char *p = w->rd.line;
		size_t n = (size_t)w->rd.len;
		if ((n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n'))
			return;
		hdr_line(h, p, n);
	}
}

static void put_stripped(const char *p, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++)
		putc_unlocked(p[i] & 0x7f, out);
}

static void put_headers(struct walk *w, const struct headers *h, bool skip_cte)
{
	for (size_t i = 0; i < h->n; i++) {
		const struct field *f = &h->f[i];
		if (skip_cte && field_is(f, "Content-Transfer-Encoding"))
			continue;
		if (w->opt->strip_headers)
			put_stripped(f->text, f->len, w->out);
		else
			fwrite(f->text, 1, f->len, w->out);
		if (f->len == 0 || f->text[f->len - 1] != '\n')
			fputc('\n', w->out);
	}
}

/*
 * The content of a leaf part: its lines up to a boundary or the end, the
 * LF before a boundary left out.  `line` gets each line without its LF
 * and whether an LF belongs to the content.
 */
static struct term leaf_lines(struct walk *w, void (*line)(void *, const char *, size_t, bool),
                              void *arg)
{
	struct term t;
	bool have = next_content_line(w, &t);
	char *copy = NULL;
	size_t cap = 0;

	while (have) {
		size_t n = (size_t)w->rd.len;
		bool lf = n > 0 && w->rd.line[n - 1] == '\n';
		if (lf)
			n--;
		/* a copy: reading the next line reuses the reader's buffer */
		copy = xgrow(copy, &cap, n + 1, 1);
		memcpy(copy, w->rd.line, n);
		have = next_content_line(w, &t);
		/* the LF before a boundary is the boundary's */
		line(arg, copy, n, lf && (have || t.kind == T_EOF));
	}
	free(copy);
	return t;
}

struct counts {
	size_t size, highbits;
};

static void count_line(void *arg, const char *p, size_t n, bool lf)
{
	struct counts *c = arg;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			c->highbits++;
	c->size += n + (lf ? 1 : 0);
}

static void put_autoconverted(struct walk *w, const struct entity *en, bool top, bool message,
                              const char *cte)
{
	if (message && !en->has_mime_version)
		fputs("MIME-Version: 1.0\n", w->out);
	if (top && !en->has_ctype)
		fprintf(w->out, "Content-Type: text/plain; charset=%s\n",
		        w->opt->charset ? w->opt->charset : "unknown-8bit");
	fprintf(w->out, "Content-Transfer-Encoding: %s\n", cte);
	fprintf(w->out, "X-MIME-Autoconverted: from 8bit to %s by %s id %s\n", cte,
	        w->opt->host ? w->opt->host : "localhost", w->opt->qid ? w->opt->qid : "");
}

static struct term leaf(struct walk *w, const struct headers *h, const struct entity *en, bool top,
                        bool message)
{
	struct counts c = {0, 0};
	off_t start = ftello(w->rd.in);
	bool pushed = w->rd.pushed;
	struct term t;

	if (start < 0 || pushed) {
		/* a part with no content: nothing to encode */
		put_headers(w, h, false);
		fputc('\n', w->out);
		return copy_lines(w, false);
	}
	leaf_lines(w, count_line, &c);
	if (fseeko(w->rd.in, start, SEEK_SET) < 0) {
		w->err = -errno;
		return (struct term){T_EOF};
	}
	w->rd.pushed = false;
	if (c.highbits == 0) {
		put_headers(w, h, false);
		fputc('\n', w->out);
		return copy_lines(w, false);
	}
	bool b64 = mime8to7_wants_base64(c.size, c.highbits);
	put_headers(w, h, true);
	put_autoconverted(w, en, top, message, b64 ? "base64" : "quoted-printable");
	fputc('\n', w->out);
	if (b64) {
		struct b64_enc b = {.out = w->out};
		t = leaf_lines(w, b64_line_cb, &b);
		b64_end(&b, w->depth > 0);
	} else {
		struct qp_enc q = {w->out, 0};
		t = leaf_lines(w, qp_line_cb, &q);
		qp_end(&q, w->depth > 0);
	}
	return t;
}

static struct term entity(struct walk *w, const struct headers *h, bool top, bool message);

static struct term multipart(struct walk *w, const struct headers *h, const char *boundary)
{
	int level = w->depth;
	struct term t;

	put_headers(w, h, false);
	fputc('\n', w->out);
	w->bnd[level] = boundary;
	w->bndlen[level] = strlen(boundary);
	w->depth++;
	t = copy_lines(w, true); /* the preamble */
	/* any boundary of the stack is the innermost multipart's, as in sendmail */
	while (t.kind == T_SEP) {
		struct headers ph = {0};
		rd_next(&w->rd); /* the boundary line */
		fprintf(w->out, "--%s\n", boundary);
		read_headers(w, &ph);
		t = entity(w, &ph, false, false);
		hdr_free(&ph);
	}
	w->depth--;
	/* closed, or closed for it at the end of the input */
	if (w->open_line)
		fputc('\n', w->out);
	w->open_line = false;
	fprintf(w->out, "--%s--\n", boundary);
	if (t.kind == T_FINAL) {
		rd_next(&w->rd);
		t = copy_lines(w, true); /* the epilogue, up to an outer boundary */
	}
	return t;
}

static struct term message_part(struct walk *w, const struct headers *h)
{
	struct headers inner = {0};
	struct term t;

	put_headers(w, h, false);
	fputc('\n', w->out);
	read_headers(w, &inner);
	t = entity(w, &inner, false, true);
	hdr_free(&inner);
	return t;
}

static struct term entity(struct walk *w, const struct headers *h, bool top, bool message)
{
	struct entity en;
	struct term t;

	entity_read(&en, h);
	if (en.encoded || w->err < 0) {
		put_headers(w, h, false);
		fputc('\n', w->out);
		t = copy_lines(w, false);
	} else if (strncmp(en.type, "multipart/", 10) == 0 && en.boundary != NULL &&
	           w->depth < MIME8TO7_MAX_DEPTH) {
		t = multipart(w, h, en.boundary);
	} else if (strcmp(en.type, "message/rfc822") == 0 && w->depth < MIME8TO7_MAX_DEPTH) {
		t = message_part(w, h);
	} else {
		t = leaf(w, h, &en, top, message);
	}
	free(en.boundary);
	return t;
}

static void split_headers(struct headers *h, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) + 1 : n;
		hdr_line(h, p, len);
		p += len;
		n -= len;
	}
}

int mime8to7_convert(const struct mime8to7 *opt, const char *headers, size_t hlen, FILE *body,
                     FILE *out)
{
	struct walk w = {.opt = opt, .out = out, .rd = {.in = body}};
	struct headers h = {0};
	struct term t;

	split_headers(&h, headers, hlen);
	t = entity(&w, &h, true, true);
	/* whatever a boundary of no open multipart left */
	while (t.kind != T_EOF && w.err == 0) {
		rd_next(&w.rd);
		fwrite(w.rd.line, 1, (size_t)w.rd.len, out);
		t = copy_lines(&w, true);
	}
	hdr_free(&h);
	free(w.rd.line);
	if (w.err < 0)
		return w.err;
	if (ferror(body) || ferror(out))
		return -EIO;
	return 0;
}

int mime8to7_strip(const char *headers, size_t hlen, FILE *body, FILE *out)
{
	char buf[8192];
	size_t n;

	put_stripped(headers, hlen, out);
	if (hlen > 0 && headers[hlen - 1] != '\n')
		fputc('\n', out);
	fputc('\n', out);
	while ((n = fread(buf, 1, sizeof(buf), body)) > 0)
		put_stripped(buf, n, out);
	return ferror(body) || ferror(out) ? -EIO : 0;
}
