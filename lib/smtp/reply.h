/*
 * reply: SMTP replies as a client receives them (RFC 5321 4.2), built one
 * line at a time: the three-digit code, continuation lines ("250-"), the
 * last line ("250 " or a bare "250"), and the RFC 3463 enhanced status
 * code when the first line's text starts with one of the code's class.
 * The parser is strict — a line that is not a reply line, a continuation
 * with a different code, or control characters in the text make the
 * reply invalid — and bounded in lines and bytes, so a hostile server
 * cannot make it grow without limit.
 */
#ifndef SDMAIL_SMTP_REPLY_H
#define SDMAIL_SMTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

#define REPLY_MAX_LINES 256
#define REPLY_MAX_TEXT (64 * 1024)

struct smtp_reply {
	int code;	   /* 200..559, 0 before the first line */
	char enhanced[12]; /* "2.1.5", "" when the text has none */
	int nlines;
	bool done;	    /* the last line was seen */
	struct strbuf text; /* each line's text (after "250-"), joined by '\n' */
};

void reply_init(struct smtp_reply *r);
void reply_reset(struct smtp_reply *r);
void reply_free(struct smtp_reply *r);

/*
 * Add one line (without CRLF).  Returns 1 when more lines must follow, 0
 * when the reply is complete, -EPROTO for a malformed line, -E2BIG when
 * the reply exceeds the limits, -EINVAL when the reply was already done.
 */
int reply_add_line(struct smtp_reply *r, const char *line, size_t len);

/*
 * Line i (0-based) of the text: a pointer into r->text and its length, or
 * NULL past the last line.
 */
const char *reply_line(const struct smtp_reply *r, int i, size_t *len);

/* The class digit: 2, 3, 4 or 5 (0 when no reply). */
static inline int reply_class(const struct smtp_reply *r)
{
	return r->code / 100;
}

#endif
