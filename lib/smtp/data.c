/*
 * data: DATA transparency encoding (data.h).
 */
#include "smtp/data.h"

#include "util/strbuf.h"

void data_enc_init(struct data_enc *e)
{
	e->bol = true;
	e->pending_cr = false;
	e->limit = 0;
	e->col = 0;
	e->held = false;
}

void data_enc_set_limit(struct data_enc *e, size_t limit)
{
	e->limit = limit >= 2 ? limit : 0;
}

static void put_text(struct data_enc *e, const char *p, size_t n, struct strbuf *out)
{
	if (n == 0)
		return;
	if (e->bol && p[0] == '.')
		sb_putc(out, '.');
	sb_put(out, p, n);
	e->bol = false;
	e->col += n;
}

/* The held character, now known to be the last of its line. */
static void release_held(struct data_enc *e, struct strbuf *out)
{
	if (e->held) {
		e->held = false;
		put_text(e, &e->hold, 1, out);
	}
}

static void line_end(struct data_enc *e, struct strbuf *out)
{
	release_held(e, out);
	sb_put(out, "\r\n", 2);
	e->bol = true;
	e->col = 0;
}

/* A run of ordinary bytes, broken where the line limit says. */
static void put_limited(struct data_enc *e, const char *p, size_t n, struct strbuf *out)
{
	while (n > 0) {
		size_t room;

		if (e->held) {
			/* more follows the held character: break before it */
			sb_put(out, "!\r\n ", 4);
			e->bol = false;
			e->col = 1;
			e->held = false;
			put_text(e, &e->hold, 1, out);
		}
		room = e->col < e->limit - 1 ? e->limit - 1 - e->col : 0;
		if (room > n)
			room = n;
		put_text(e, p, room, out);
		p += room;
		n -= room;
		if (n > 0) {
			e->hold = *p++;
			e->held = true;
			n--;
		}
	}
}

/* Length of the run of ordinary bytes (no CR, no LF) at p. */
static size_t run_len(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] != '\r' && p[i] != '\n')
		i++;
	return i;
}

void data_enc_put(struct data_enc *e, const char *p, size_t n, struct strbuf *out)
{
	size_t i = 0;

	while (i < n) {
		size_t run;

		if (e->pending_cr) {
			/* CR LF is one line end; a CR alone is one too */
			e->pending_cr = false;
			line_end(e, out);
			if (p[i] == '\n') {
				i++;
				continue;
			}
		}
		if (p[i] == '\r') {
			e->pending_cr = true;
			i++;
			continue;
		}
		if (p[i] == '\n') {
			line_end(e, out);
			i++;
			continue;
		}
		run = run_len(p + i, n - i);
		if (e->limit > 0)
			put_limited(e, p + i, run, out);
		else
			put_text(e, p + i, run, out);
		i += run;
	}
}

void data_enc_end_line(struct data_enc *e, struct strbuf *out)
{
	if (e->pending_cr || !e->bol || e->held) {
		e->pending_cr = false;
		line_end(e, out);
	}
}

void data_enc_finish(struct data_enc *e, struct strbuf *out)
{
	data_enc_end_line(e, out);
	sb_put(out, ".\r\n", 3);
}
