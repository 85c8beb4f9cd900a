/*
 * mime8to7: the 8 to 7 bit MIME conversion sendmail 8.17 makes for a
 * server that does not announce 8BITMIME.  It owns the walk through a
 * message's MIME structure (multipart bodies at any depth, message/rfc822
 * parts, boundaries as RFC 2046 places them, a missing final boundary
 * added), the choice per leaf part between leaving it alone (no 8-bit
 * byte), quoted-printable and base64 (more than one byte in eight 8-bit),
 * both encoders with sendmail's line lengths and special cases, and the
 * header changes (Content-Transfer-Encoding replaced, MIME-Version and
 * at the top Content-Type added, X-MIME-Autoconverted).  The body is
 * streamed: each leaf part is read twice from the seekable input (counted,
 * then encoded), nothing but one line is held in memory.  When to convert
 * is the caller's decision (deliver.c); lines end in LF on the way out.
 * For a mailer with F=7 the headers lose their eighth bit as well.
 */
#ifndef SDMAIL_MSG_MIME8TO7_H
#define SDMAIL_MSG_MIME8TO7_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct mime8to7 {
	const char *host;    /* $j, named in X-MIME-Autoconverted */
	const char *qid;     /* the queue ID, named there too */
	const char *charset; /* DefaultCharSet, NULL: "unknown-8bit" */
	bool strip_headers;  /* clear the eighth bit of every header (F=7) */
};

/* Deepest nesting of multiparts followed; deeper ones are copied as they are. */
#define MIME8TO7_MAX_DEPTH 50

/*
 * Writes the message to `out`: the header block `headers` (hlen bytes,
 * lines ending in LF or CRLF, without the empty line) and the body read
 * from `body`, which must be seekable and positioned at its start, with
 * every 8-bit part encoded.  Returns 0 or a negative errno.
 */
int mime8to7_convert(const struct mime8to7 *opt, const char *headers, size_t hlen, FILE *body,
                     FILE *out);

/*
 * The message with the eighth bit of every byte cleared, headers and body
 * (a mailer with F=7 when nothing is converted).  Returns 0 or -EIO.
 */
int mime8to7_strip(const char *headers, size_t hlen, FILE *body, FILE *out);

/*
 * The encoders alone, for one part's content (LF line ends): `in_multipart`
 * is whether the part lies inside a multipart, which decides the last line
 * end as sendmail writes it.
 */
void mime8to7_qp(const char *p, size_t n, bool in_multipart, FILE *out);
void mime8to7_base64(const char *p, size_t n, bool in_multipart, FILE *out);

/* sendmail's choice: base64 when more than one byte in eight is 8-bit. */
bool mime8to7_wants_base64(size_t size, size_t highbits);

#endif
