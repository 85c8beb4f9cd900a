/*
 * collect: message intake (collect.h).
 */
#include "msg/collect.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg/envelope.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static ssize_t file_read_line(void *arg, char **line, bool *terminated)
{
	struct collect_file_source *s = arg;
	ssize_t n = getline(&s->buf, &s->cap, s->f);
	if (n < 0)
		return ferror(s->f) ? -2 : -1;
	*terminated = n > 0 && s->buf[n - 1] == '\n';
	if (*terminated)
		s->buf[--n] = '\0';
	*line = s->buf;
	return n;
}

void collect_file_source_init(struct collect_file_source *s, FILE *f, struct collect_source *src)
{
	s->f = f;
	s->buf = NULL;
	s->cap = 0;
	src->read_line = file_read_line;
	src->arg = s;
}

void collect_file_source_free(struct collect_file_source *s)
{
	free(s->buf);
	s->buf = NULL;
}

/* A header line: "Name:" with printable, blank-free name characters
 * (blanks right before the colon are tolerated and dropped). */
static bool header_name(const char *line, size_t len, size_t *namelen, size_t *colon)
{
	size_t i = 0, end;
	while (i < len && line[i] != ':') {
		unsigned char c = (unsigned char)line[i];
		if (c <= ' ' || c >= 0x7f)
			break;
		i++;
	}
	end = i;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len || line[i] != ':' || end == 0)
		return false;
	*namelen = end;
	*colon = i;
	return true;
}

struct collector {
	const struct collect_opts *o;
	struct collect_result *r;
	FILE *df;
	struct envelope *e;
	struct strbuf name, value; /* the header being assembled */
	bool have_header;
	bool in_headers; /* still before the body */
	bool first;      /* the next line is the first one */
	bool continuing; /* the next part continues an unterminated line */
};

static void flush_header(struct collector *c)
{
	if (!c->have_header)
		return;
	envelope_add_header(c->e, sb_str(&c->name), sb_str(&c->value), NULL);
	sb_reset(&c->name);
	sb_reset(&c->value);
	c->have_header = false;
}

static void note_bytes(struct collector *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x80)
			c->r->eight_bit = true;
		if (ch == '\0' && c->o->reject_nul && c->r->status == COLLECT_OK)
			c->r->status = COLLECT_NUL;
	}
}

/* The df could not take more; what came after is still read. */
static void write_failed(struct collect_result *r)
{
	r->status = COLLECT_WRITE_ERROR;
	r->write_errno = errno ? errno : EIO;
}

static void body_line(struct collector *c, const char *line, size_t len, bool terminated)
{
	long long add = (long long)len + (terminated ? 1 : 0);
	note_bytes(c, line, len);
	c->r->body_bytes += add;
	if (c->o->max_size > 0 && c->r->header_bytes + c->r->body_bytes > c->o->max_size) {
		if (c->r->status == COLLECT_OK)
			c->r->status = COLLECT_TOO_BIG;
		return;
	}
	if (c->r->status != COLLECT_OK)
		return;
	if (fwrite(line, 1, len, c->df) != len || (terminated && fputc('\n', c->df) == EOF))
		write_failed(c->r);
}

/* Returns true when the line ends the message. */
static bool end_of_data(const struct collect_opts *o, const char *line, size_t len)
{
	if (o->ignore_dots && !o->smtp)
		return false;
	return len == 1 && line[0] == '.';
}

/* More of a line whose beginning was taken already: neither an end of
 * the data nor a new header, and no dot to remove. */
static void take_rest(struct collector *c, const char *line, size_t len, bool terminated)
{
	struct collect_result *r = c->r;

	if (!c->in_headers) {
		body_line(c, line, len, terminated);
		return;
	}
	/* a dropped first "From " line, or a refused header section */
	if (!c->have_header || r->status == COLLECT_HEADERS_TOO_BIG)
		return;
	if (c->o->max_headers > 0 && r->header_bytes + (long long)len > c->o->max_headers) {
		if (r->status == COLLECT_OK)
			r->status = COLLECT_HEADERS_TOO_BIG;
		return;
	}
	/* the newline was counted with the line's first part */
	sb_put(&c->value, line, len);
	note_bytes(c, line, len);
	r->header_bytes += (long long)len;
}

/* One line of the message; true when it ends the message. */
static bool take_line(struct collector *c, char *line, size_t len, bool terminated)
{
	const struct collect_opts *o = c->o;
	struct collect_result *r = c->r;
	size_t namelen, colon;
	bool continued = c->continuing;

	if (terminated && len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	c->continuing = !terminated;
	if (continued) {
		take_rest(c, line, len, terminated);
		return false;
	}
	if (end_of_data(o, line, len))
		return true;
	/* SMTP removes the dot every line starting with one got; a message on
	 * standard input where "." ends it has its ".." lines undone the same
	 * way (sendmail's reading of both) */
	if (len > 0 && line[0] == '.' &&
	    (o->smtp || (!o->ignore_dots && len > 1 && line[1] == '.'))) {
		line++;
		len--;
	}
	if (c->in_headers) {
		if (c->first && !o->save_from_line && len >= 5 && strncmp(line, "From ", 5) == 0) {
			c->first = false;
			return false;
		}
		c->first = false;
		if (r->status == COLLECT_HEADERS_TOO_BIG)
			return false; /* the message is refused: keep no more of it */
		if (o->max_headers > 0 && r->header_bytes + (long long)len + 1 > o->max_headers) {
			if (r->status == COLLECT_OK)
				r->status = COLLECT_HEADERS_TOO_BIG;
			return false;
		}
		if (c->have_header && len > 0 && (line[0] == ' ' || line[0] == '\t')) {
			sb_putc(&c->value, '\n');
			sb_put(&c->value, line, len);
			note_bytes(c, line, len);
			r->header_bytes += (long long)len + 1;
			return false;
		}
		if (len > 0 && header_name(line, len, &namelen, &colon)) {
			flush_header(c);
			sb_put(&c->name, line, namelen);
			sb_put(&c->value, line + colon + 1, len - colon - 1);
			c->have_header = true;
			note_bytes(c, line, len);
			r->header_bytes += (long long)len + 1;
			return false;
		}
		flush_header(c);
		c->in_headers = false;
		if (len == 0 && terminated) {
			/* the blank line between headers and body */
			r->header_bytes++;
			return false;
		}
	}
	body_line(c, line, len, terminated);
	return false;
}

/*
 * SevenBitInput: sendmail clears the eighth bit as it reads, before it
 * looks for line ends, so a byte 0x8A ends a line like a newline.
 */
static bool take_seven_bit(struct collector *c, char *line, size_t len, bool terminated)
{
	char *nl;

	for (size_t i = 0; i < len; i++)
		line[i] &= 0x7f;
	while ((nl = memchr(line, '\n', len)) != NULL) {
		size_t seg = (size_t)(nl - line);
		*nl = '\0';
		if (take_line(c, line, seg, true))
			return true;
		line = nl + 1;
		len -= seg + 1;
	}
	return take_line(c, line, len, terminated);
}

int collect_message(const struct collect_source *src, FILE *df, struct envelope *e,
		    const struct collect_opts *o, struct collect_result *r)
{
	struct collector c = {o, r, df, e, STRBUF_INIT, STRBUF_INIT, false, true, true, false};
	char *line;
	bool terminated;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	while ((n = src->read_line(src->arg, &line, &terminated)) >= 0) {
		bool end = o->seven_bit ? take_seven_bit(&c, line, (size_t)n, terminated)
					: take_line(&c, line, (size_t)n, terminated);
		if (end)
			break;
	}
	flush_header(&c);
	if (n == -2 && r->status == COLLECT_OK)
		r->status = COLLECT_IO_ERROR;
	if (fflush(df) != 0 && r->status == COLLECT_OK)
		write_failed(r);
	sb_free(&c.name);
	sb_free(&c.value);
	return r->status == COLLECT_OK ? 0 : -1;
}
