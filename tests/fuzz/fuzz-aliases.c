/*
 * fuzz-aliases: feeds arbitrary bytes to the aliases file reader
 * (aliasfile.h), as newaliases and the "reading text version" fallback
 * read /etc/mail/aliases.  An aliases file is written by administrators
 * and scripts and may hold anything: the reader must split it into
 * entries without crashing, leaking or looping, and what it hands on must
 * keep its promises — entries hold no newline and stay within
 * ALIAS_LINE_MAX bytes, and line numbers only grow, within the number of
 * lines of the input — or the target aborts.  (An entry may be empty or
 * start with a blank: a line holding only a backslash joins the next one
 * to nothing, as in sendmail.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aliases/aliasfile.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz-aliases: %s (line %d)\n", what, line);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct alias_reader r;
	struct strbuf entry = STRBUF_INIT;
	enum alias_item item;
	int line = 0, last = 0, lines = 1;
	FILE *f;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	f = fmemopen((void *)data, size, "r");
	if (f == NULL)
		return 0;
	alias_reader_init(&r, f);
	while ((item = alias_reader_next(&r, &entry, &line)) != ALIAS_EOF) {
		if (line < last || line < 1 || line > lines)
			fail("line numbers out of order", line);
		last = line;
		if (item != ALIAS_ENTRY)
			continue;
		if (entry.len > ALIAS_LINE_MAX)
			fail("entry too long", line);
		if (memchr(entry.s, '\n', entry.len) != NULL)
			fail("newline in an entry", line);
	}
	alias_reader_free(&r);
	sb_free(&entry);
	fclose(f);
	return 0;
}
