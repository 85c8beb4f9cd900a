/*
 * aliasfile: reading the text format of an aliases file (aliases(5)) into
 * logical entries, the way sendmail's newaliases does — a line that
 * begins with a blank or tab continues the previous one, as does a line
 * ending in a backslash; the newline and backslash are dropped, the
 * blanks of the continuation kept.  Empty lines are skipped; a line
 * starting with '#' is a comment, and so are its continuation lines.  A
 * logical entry may hold at most ALIAS_LINE_MAX bytes.  Parsing the
 * "name: value" inside an entry needs the configuration's rulesets and
 * is the alias database's job (aliasdb.h); this module only splits the
 * file, and it is what the fuzz target exercises.
 */
#ifndef SDMAIL_ALIASES_ALIASFILE_H
#define SDMAIL_ALIASES_ALIASFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "util/strbuf.h"

/* sendmail reads entries into a BUFSIZ buffer: 8190 bytes and a newline */
#define ALIAS_LINE_MAX 8190

enum alias_item {
	ALIAS_EOF = 0,
	ALIAS_ENTRY,         /* a logical entry to parse */
	ALIAS_LEADING_SPACE, /* "Non-continuation line starts with space" */
	ALIAS_TOO_LONG,      /* "alias line too long" (the entry is dropped) */
};

struct alias_reader {
	FILE *f;
	int line;  /* physical line number of the last line taken */
	char *buf; /* the last physical line read (getline) */
	size_t cap;
	size_t len;   /* its length up to the first NUL, newline removed */
	bool pending; /* buf holds a line read ahead and not yet taken */
	bool eof;
};

void alias_reader_init(struct alias_reader *r, FILE *f);
void alias_reader_free(struct alias_reader *r);

/*
 * The next logical entry.  For ALIAS_ENTRY `entry` holds its text; for
 * every item but ALIAS_EOF *line is the line number sendmail reports it
 * at (the last physical line of the entry, or the offending line).
 */
enum alias_item alias_reader_next(struct alias_reader *r, struct strbuf *entry, int *line);

#endif
