/*
 * qf: sendmail's version-8 queue control file format (qf.h).
 */
#include "queue/qf.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "cf/meta.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* DSN deliver-by flag bits as sendmail writes them in the ! line */
#define DLVR_NOTIFY 0x01
#define DLVR_RETURN 0x02
#define DLVR_TRACE 0x10

void qf_swap_meta(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == META_MACROEXPAND)
			s[i] = (char)QF_META_MACRO;
		else if (c == QF_META_MACRO)
			s[i] = (char)META_MACROEXPAND;
	}
}

/* ---- writing ------------------------------------------------------------ */

/* The rest of a one-line field and its newline; line breaks become spaces. */
static void put_rest(struct strbuf *out, const char *value)
{
	for (const char *p = value ? value : ""; *p; p++)
		sb_putc(out, *p == '\n' ? ' ' : *p);
	sb_putc(out, '\n');
}

static void put_line(struct strbuf *out, char letter, const char *value)
{
	sb_putc(out, letter);
	put_rest(out, value);
}

static void put_opt(struct strbuf *out, char letter, const char *value)
{
	if (value != NULL)
		put_line(out, letter, value);
}

/* Header text in sendmail's encoding; each embedded line stays a continuation. */
static void put_header_text(struct strbuf *out, const char *s)
{
	size_t start = out->len;

	for (const char *p = s; *p; p++) {
		sb_putc(out, *p);
		if (*p == '\n' && p[1] != ' ' && p[1] != '\t')
			sb_putc(out, '\t');
	}
	qf_swap_meta(out->s + start, out->len - start);
}

static void put_header(struct strbuf *out, const struct env_header *h)
{
	sb_puts(out, "H?");
	if (h->cond != NULL)
		put_header_text(out, h->cond);
	sb_putc(out, '?');
	put_header_text(out, h->name);
	/* the value keeps the blanks that followed the colon, as sendmail's does */
	sb_putc(out, ':');
	put_header_text(out, h->value);
	sb_putc(out, '\n');
}

static void put_deliver_by(struct strbuf *out, const struct envelope *e)
{
	int flags = 0;

	if (e->deliver_by_mode == 'N')
		flags |= DLVR_NOTIFY;
	else if (e->deliver_by_mode == 'R')
		flags |= DLVR_RETURN;
	if (e->deliver_by_trace)
		flags |= DLVR_TRACE;
	if (flags == 0) /* no BY= parameter */
		return;
	sb_printf(out, "!%c %lld\n", (char)flags, e->deliver_by);
}

static void put_recipients(struct strbuf *out, const struct envelope *e)
{
	const char *last = "";

	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
		const char *ctl = r->ctladdr ? r->ctladdr : e->ctladdr ? e->ctladdr : "";
		if (r->done || r->member)
			continue;
		put_opt(out, 'M', r->statmsg);
		if (strcmp(ctl, last) != 0)
			put_line(out, 'C', ctl);
		last = ctl;
		put_opt(out, 'Q', r->orcpt);
		put_opt(out, 'r', r->final);
		sb_putc(out, 'R');
		for (const char *f = r->flags; *f; f++)
			if (*f != ':' && *f != '\n')
				sb_putc(out, *f);
		sb_putc(out, ':');
		put_rest(out, r->addr);
	}
}

void qf_format(struct strbuf *out, const struct envelope *e)
{
	sb_printf(out, "V%d\n", e->version > 0 ? e->version : QF_VERSION);
	sb_printf(out, "T%lld\nK%lld\nN%d\nP%ld\n", (long long)e->ctime, (long long)e->last_try,
		  e->ntries, e->priority);
	if (e->df_ino != 0)
		sb_printf(out, "I%u/%u/%ju\n", major(e->df_dev), minor(e->df_dev),
			  (uintmax_t)e->df_ino);
	put_opt(out, 'd', e->data_dir);
	put_opt(out, 'B', e->bodytype);
	put_opt(out, 'q', e->quarantine); /* where sendmail 8.17.1 writes it */
	put_opt(out, 'M', e->message);
	put_line(out, 'F', e->flags);
	for (const struct env_macro *m = e->macros; m != NULL; m = m->next) {
		sb_putc(out, '$');
		for (const char *p = m->name; *p; p++)
			sb_putc(out, *p == '\n' ? ' ' : *p);
		put_rest(out, m->value);
	}
	put_line(out, 'S', e->sender);
	put_opt(out, 'Z', e->envid);
	put_opt(out, 'A', e->auth);
	put_deliver_by(out, e);
	put_opt(out, 'E', e->errors_to);
	put_recipients(out, e);
	for (const struct env_header *h = e->headers; h != NULL; h = h->next)
		put_header(out, h);
	sb_puts(out, ".\n");
}

/* ---- reading ------------------------------------------------------------ */

struct qf_reader {
	struct envelope *e;
	struct qf_error *err;
	int lineno;
	bool seen_end;
	/* C, Q and r lines apply to the R line that follows */
	char *ctladdr;
	char *orcpt;
	char *final;
	char *statmsg; /* an M line among the recipients: the next one's status */
	bool seen_sender;
};

__attribute__((format(printf, 2, 3))) static int bad(struct qf_reader *rd, const char *fmt, ...)
{
	if (rd->err != NULL) {
		va_list ap;
		va_start(ap, fmt);
		rd->err->line = rd->lineno;
		vsnprintf(rd->err->reason, sizeof(rd->err->reason), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A decimal number filling all of `s` (optional '-' when `neg`). */
static bool parse_num(const char *s, bool neg, long long *v)
{
	char *end;

	if (!(*s >= '0' && *s <= '9') && !(neg && *s == '-' && s[1] >= '0' && s[1] <= '9'))
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0';
}

static int read_number(struct qf_reader *rd, const char *s, bool neg, long long min,
		       long long max, long long *v)
{
	if (!parse_num(s, neg, v) || *v < min || *v > max)
		return bad(rd, "bad number \"%.40s\"", s);
	return 0;
}

static int read_inode(struct qf_reader *rd, const char *s)
{
	unsigned maj, min;
	uintmax_t ino;
	int n = 0;

	if (sscanf(s, "%u/%u/%ju%n", &maj, &min, &ino, &n) != 3 || s[n] != '\0' ||
	    !(*s >= '0' && *s <= '9'))
		return bad(rd, "bad I line");
	rd->e->df_dev = makedev(maj, min);
	rd->e->df_ino = (ino_t)ino;
	return 0;
}

static int read_deliver_by(struct qf_reader *rd, const char *s)
{
	unsigned char flags = (unsigned char)s[0];
	long long secs;

	if (flags == '\0' || s[1] != ' ' || !parse_num(s + 2, true, &secs))
		return bad(rd, "bad ! line");
	if (flags & ~(DLVR_NOTIFY | DLVR_RETURN | DLVR_TRACE))
		return bad(rd, "bad deliver-by flags 0x%02x", flags);
	rd->e->deliver_by = secs;
	rd->e->deliver_by_mode = flags & DLVR_NOTIFY ? 'N' : flags & DLVR_RETURN ? 'R' : 0;
	rd->e->deliver_by_trace = (flags & DLVR_TRACE) != 0;
	return 0;
}

static int read_macro(struct qf_reader *rd, const char *s)
{
	size_t n = 1;
	char *name;

	if (*s == '\0' || *s == '\n')
		return bad(rd, "empty macro name");
	if (*s == '{') {
		const char *close = strchr(s, '}');
		if (close == NULL || close == s + 1 || memchr(s, '\n', (size_t)(close - s)))
			return bad(rd, "bad macro name");
		n = (size_t)(close - s) + 1;
	}
	name = xstrndup(s, n);
	envelope_set_macro(rd->e, name, s + n);
	free(name);
	return 0;
}

static int read_recipient(struct qf_reader *rd, const char *s)
{
	const char *colon = strchr(s, ':');
	struct env_rcpt *r;
	char flags[sizeof(r->flags)];

	if (colon == NULL)
		return bad(rd, "R line without flags");
	if ((size_t)(colon - s) >= sizeof(flags))
		return bad(rd, "too many recipient flags");
	memcpy(flags, s, (size_t)(colon - s));
	flags[colon - s] = '\0';
	r = envelope_add_rcpt(rd->e, colon + 1, flags);
	r->ctladdr = rd->ctladdr ? xstrdup(rd->ctladdr) : NULL;
	r->orcpt = rd->orcpt;
	r->final = rd->final;
	r->statmsg = rd->statmsg;
	rd->orcpt = rd->final = rd->statmsg = NULL;
	return 0;
}

static int read_header(struct qf_reader *rd, char *s, size_t len)
{
	char *cond = NULL, *colon, *value;

	qf_swap_meta(s, len);
	if (*s == '?') {
		char *q = strchr(s + 1, '?');
		if (q == NULL)
			return bad(rd, "unterminated header condition");
		*q = '\0';
		cond = s[1] != '\0' ? s + 1 : NULL;
		s = q + 1;
	}
	colon = strchr(s, ':');
	if (colon == NULL || colon == s)
		return bad(rd, "header without a name");
	*colon = '\0';
	value = colon + 1;
	envelope_add_header(rd->e, s, value, cond);
	return 0;
}

/* One logical line (continuations joined with '\n'), without its newline. */
static int read_line(struct qf_reader *rd, char *line, size_t len)
{
	struct envelope *e = rd->e;
	char *rest = line + 1;
	long long v;
	int rc = 0;

	if (rd->seen_end)
		return bad(rd, "text after the final \".\"");
	if (rd->lineno == 1 && line[0] != 'V')
		return bad(rd, "no V line first");
	switch (line[0]) {
	case 'V':
		if (rd->lineno != 1)
			return bad(rd, "V line not first");
		rc = read_number(rd, rest, false, 1, QF_VERSION, &v);
		e->version = (int)v;
		break;
	case 'T':
		rc = read_number(rd, rest, false, 0, LLONG_MAX, &v);
		e->ctime = (time_t)v;
		break;
	case 'K':
		rc = read_number(rd, rest, false, 0, LLONG_MAX, &v);
		e->last_try = (time_t)v;
		break;
	case 'N':
		rc = read_number(rd, rest, false, 0, INT_MAX, &v);
		e->ntries = (int)v;
		break;
	case 'P':
		rc = read_number(rd, rest, true, LONG_MIN, LONG_MAX, &v);
		e->priority = (long)v;
		break;
	case 'I':
		return read_inode(rd, rest);
	case '!':
		return read_deliver_by(rd, rest);
	case 'd':
		envelope_set(&e->data_dir, rest);
		break;
	case 'B':
		envelope_set(&e->bodytype, rest);
		break;
	case 'M':
		/* sendmail writes a recipient's own status before its lines */
		if (rd->seen_sender)
			envelope_set(&rd->statmsg, rest);
		else
			envelope_set(&e->message, rest);
		break;
	case 'F':
		envelope_set(&e->flags, *rest ? rest : NULL);
		break;
	case 'q':
		envelope_set(&e->quarantine, rest);
		break;
	case 'S':
		rd->seen_sender = true;
		envelope_set(&e->sender, rest);
		break;
	case 'Z':
		envelope_set(&e->envid, rest);
		break;
	case 'A':
		envelope_set(&e->auth, rest);
		break;
	case 'E':
		if (e->errors_to != NULL) {
			struct strbuf sb = STRBUF_INIT;
			sb_printf(&sb, "%s, %s", e->errors_to, rest);
			free(e->errors_to);
			e->errors_to = sb_detach(&sb);
		} else {
			envelope_set(&e->errors_to, rest);
		}
		break;
	case '$':
		return read_macro(rd, rest);
	case 'C':
		/* as written back (a line break is a space), so that two C lines
		 * the writer prints alike are one controlling user, not two */
		envelope_set(&rd->ctladdr, rest);
		for (char *p = rd->ctladdr; *p; p++)
			if (*p == '\n')
				*p = ' ';
		break;
	case 'Q':
		envelope_set(&rd->orcpt, rest);
		break;
	case 'r':
		envelope_set(&rd->final, rest);
		break;
	case 'R':
		return read_recipient(rd, rest);
	case 'H':
		return read_header(rd, rest, len - 1);
	case '.':
		if (len != 1)
			return bad(rd, "bad end line");
		rd->seen_end = true;
		break;
	case '\0':
		return bad(rd, "empty line");
	default:
		if ((unsigned char)line[0] < ' ' || (unsigned char)line[0] > '~')
			return bad(rd, "unknown line type 0x%02x", (unsigned char)line[0]);
		return bad(rd, "unknown line type '%c'", line[0]);
	}
	return rc;
}

static void reader_free(struct qf_reader *rd)
{
	free(rd->ctladdr);
	free(rd->orcpt);
	free(rd->final);
	free(rd->statmsg);
}

int qf_parse(struct envelope *e, const char *text, size_t len, struct qf_error *err)
{
	struct qf_reader rd = {.e = e, .err = err};
	struct strbuf line = STRBUF_INIT;
	size_t i = 0;
	int rc = 0, phys = 0;

	envelope_init(e);
	e->version = 0;
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (memchr(text, '\0', len) != NULL)
		rc = bad(&rd, "NUL byte in the file");
	else if (len == 0 || text[len - 1] != '\n')
		rc = bad(&rd, "incomplete last line");
	while (rc == 0 && i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = (size_t)(nl - (text + i));
		sb_reset(&line);
		sb_put(&line, text + i, n);
		i += n + 1;
		rd.lineno = ++phys;
		/* fold continuation lines into this one */
		while (i < len && (text[i] == ' ' || text[i] == '\t')) {
			nl = memchr(text + i, '\n', len - i);
			n = (size_t)(nl - (text + i));
			sb_putc(&line, '\n');
			sb_put(&line, text + i, n);
			i += n + 1;
			phys++;
		}
		sb_putc(&line, '\0'); /* storage even for an empty line */
		rc = read_line(&rd, line.s, line.len - 1);
	}
	rd.lineno = 0;
	if (rc == 0 && !rd.seen_end)
		rc = bad(&rd, "no final \".\" line");
	if (rc == 0 && e->version == 0)
		rc = bad(&rd, "no V line");
	sb_free(&line);
	reader_free(&rd);
	if (rc != 0)
		envelope_free(e);
	return rc;
}

bool qf_cut_short(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = nl != NULL ? (size_t)(nl - (text + i)) : len - i;

		if (l == 1 && text[i] == '.')
			return false;
		i += l + 1;
	}
	return len > 0;
}

/* The type letters read_line knows; continuation lines start with SP or TAB. */
static const char qf_line_types[] = "VTKNPI!dBMFqSZAE$CQrRH.";

int qf_bad_line(const char *text, size_t len, int *lineno, char *line, size_t size)
{
	size_t i = 0;

	for (int n = 1; i < len; n++) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = nl != NULL ? (size_t)(nl - (text + i)) : len - i;
		char c = text[i];

		if (l == 0 || c == '\0' ||
		    (c != ' ' && c != '\t' && strchr(qf_line_types, c) == NULL)) {
			*lineno = n;
			snprintf(line, size, "%.*s", (int)l, text + i);
			return 1;
		}
		i += l + 1;
	}
	return 0;
}
