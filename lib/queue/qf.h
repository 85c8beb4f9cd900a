/*
 * qf: sendmail's version-8 queue control file, in memory.  qf_format()
 * turns a struct envelope into the exact text sendmail 8.17 writes (line
 * types and order of its qf files, header continuation lines, 0x81 for a
 * macro reference in headers) and qf_parse() reads such text back, from
 * sendmail or from sdmail, rejecting anything malformed or incomplete (no
 * final "." line) with a line number and a reason.  Files, directories and
 * locking are queue.c's business; this module only knows the format.
 */
#ifndef SDMAIL_QUEUE_QF_H
#define SDMAIL_QUEUE_QF_H

#include <stddef.h>

#include "msg/envelope.h"

struct strbuf;

#define QF_VERSION 8       /* the V line sendmail 8.17 writes and reads */
#define QF_META_MACRO 0x81 /* sendmail's macro-reference byte in H lines */

struct qf_error {
	int line;        /* 1-based line of the error, 0: the whole file */
	char reason[96]; /* e.g. "unknown line type 'Y'" */
};

/*
 * Append the qf text for `e` to `out`.  Recipients marked done are left
 * out; newlines inside one-line fields become spaces; a header line that
 * does not start with white space gets a tab so it stays a continuation.
 */
void qf_format(struct strbuf *out, const struct envelope *e);

/*
 * Parse `len` bytes of qf text into `e` (initialised here).  Returns 0, or
 * -EINVAL for malformed text: then `e` is empty and `err` (may be NULL)
 * says where and why.
 */
int qf_parse(struct envelope *e, const char *text, size_t len, struct qf_error *err);

/*
 * The first line of `len` bytes of qf text whose type letter no qf line
 * has (an empty line too), as sendmail 8.17.1's queue run finds it before
 * it sets the file aside: 1 with its 1-based number in *lineno and its
 * text (cut to `size` - 1 bytes) in `line`, 0 when every line has a known
 * type (the file may still be malformed otherwise).
 */
int qf_bad_line(const char *text, size_t len, int *lineno, char *line, size_t size);

/*
 * Is `len` bytes of qf text cut short: not empty, and no line is the
 * final "." (the last line may lack its newline)?  sendmail 8.17.1's queue
 * run reports such a file as an "incomplete queue file read" and leaves it.
 */
bool qf_cut_short(const char *text, size_t len);

/*
 * The internal form of header text and sendmail's swap two bytes:
 * META_MACROEXPAND (0x91) and sendmail's 0x81.  The swap is its own
 * inverse, so every byte string survives a write and a read.
 */
void qf_swap_meta(char *s, size_t len);

#endif
