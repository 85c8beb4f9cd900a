/*
 * data: DATA transparency encoding (data.h).
 */
#include "smtp/data.h"

#include "util/strbuf.h"

void data_enc_init(struct data_enc *e)
{
	e->bol = true;
	e->pending_cr = false;
}

static void line_end(struct data_enc *e, struct strbuf *out)
{
	sb_put(out, "\r\n", 2);
	e->bol = true;
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
		if (e->bol && p[i] == '.')
			sb_putc(out, '.');
		run = run_len(p + i, n - i);
		sb_put(out, p + i, run);
		e->bol = false;
		i += run;
	}
}

void data_enc_end_line(struct data_enc *e, struct strbuf *out)
{
	if (e->pending_cr || !e->bol) {
		e->pending_cr = false;
		line_end(e, out);
	}
}

void data_enc_finish(struct data_enc *e, struct strbuf *out)
{
	data_enc_end_line(e, out);
	sb_put(out, ".\r\n", 3);
}
