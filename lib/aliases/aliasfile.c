/*
 * aliasfile: logical entries of an aliases file (aliasfile.h).
 */
#include "aliases/aliasfile.h"

#include <stdlib.h>
#include <string.h>

void alias_reader_init(struct alias_reader *r, FILE *f)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
}

void alias_reader_free(struct alias_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

/* Read the next physical line into r->buf unless one is pending. */
static bool fetch(struct alias_reader *r)
{
	ssize_t n;

	if (r->pending)
		return true;
	if (r->eof)
		return false;
	n = getline(&r->buf, &r->cap, r->f);
	if (n < 0) {
		r->eof = true;
		return false;
	}
	/* like fgets and strlen: the line ends at its first NUL */
	r->len = strnlen(r->buf, (size_t)n);
	if (r->len > 0 && r->buf[r->len - 1] == '\n')
		r->len--;
	r->buf[r->len] = '\0';
	r->pending = true;
	return true;
}

/* Take the pending line: it now belongs to the entry being read. */
static void take(struct alias_reader *r)
{
	r->pending = false;
	r->line++;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Append the taken line to the entry, noting where it first overflowed. */
static void append(struct alias_reader *r, struct strbuf *entry, int *overflow_line)
{
	if (*overflow_line == 0 && entry->len + r->len > ALIAS_LINE_MAX)
		*overflow_line = r->line;
	if (*overflow_line == 0)
		sb_put(entry, r->buf, r->len);
}

/* Does the entry end in a backslash that joins the next line to it? */
static bool ends_in_backslash(struct strbuf *entry, int overflow_line)
{
	if (overflow_line != 0 || entry->len == 0 || entry->s[entry->len - 1] != '\\')
		return false;
	entry->s[--entry->len] = '\0';
	return true;
}

/* Gather the continuation lines of the entry begun with the taken line. */
static void read_continuation(struct alias_reader *r, struct strbuf *entry, int *overflow_line)
{
	for (;;) {
		if (ends_in_backslash(entry, *overflow_line)) {
			if (!fetch(r))
				return;
			take(r);
			append(r, entry, overflow_line);
			continue;
		}
		if (!fetch(r) || !is_blank(r->buf[0]))
			return;
		take(r);
		append(r, entry, overflow_line);
	}
}

enum alias_item alias_reader_next(struct alias_reader *r, struct strbuf *entry, int *line)
{
	for (;;) {
		int overflow_line = 0;
		bool comment;

		sb_reset(entry);
		if (!fetch(r))
			return ALIAS_EOF;
		take(r);
		if (r->len == 0)
			continue;
		if (is_blank(r->buf[0])) {
			*line = r->line;
			return ALIAS_LEADING_SPACE;
		}
		comment = r->buf[0] == '#';
		append(r, entry, &overflow_line);
		read_continuation(r, entry, &overflow_line);
		if (comment)
			continue;
		if (overflow_line != 0) {
			*line = overflow_line;
			return ALIAS_TOO_LONG;
		}
		*line = r->line;
		return ALIAS_ENTRY;
	}
}
