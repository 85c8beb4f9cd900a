/*
 * mime7to8: the limited 7 to 8 bit MIME conversion sendmail 8.17 makes for
 * a mailer with F=9 (Debian's local and prog mailers, and the file
 * mailer): a message whose top-level Content-Type is text/plain and whose
 * Content-Transfer-Encoding is quoted-printable or base64 is delivered
 * decoded, its Content-Transfer-Encoding replaced by "8bit" and an
 * X-MIME-Autoconverted header added.  It owns that decision, the two
 * decoders (streamed: one line, or one base64 quantum, at a time) and the
 * header rewriting; the mailer code only swaps the body it sends.
 */
#ifndef SDMAIL_MSG_MIME7TO8_H
#define SDMAIL_MSG_MIME7TO8_H

#include <stdbool.h>
#include <stdio.h>

struct envelope;
struct strbuf;

enum mime7to8_kind { MIME7TO8_NONE, MIME7TO8_QP, MIME7TO8_BASE64 };

/*
 * Whether the message is to be decoded: its kind, and in *cte the
 * Content-Transfer-Encoding as the message wrote it (the envelope's
 * storage, for X-MIME-Autoconverted).
 */
enum mime7to8_kind mime7to8_wanted(const struct envelope *e, const char **cte);

/* Decodes the body `in` into `out`.  Returns 0 or -EIO. */
int mime7to8_decode(enum mime7to8_kind kind, FILE *in, FILE *out);

/*
 * Copies the header block `hdrs` (fields ending in `eol`) to `out` without
 * its Content-Transfer-Encoding fields, followed by
 * "Content-Transfer-Encoding: 8bit" and "X-MIME-Autoconverted: from CTE
 * to 8bit by HOST id QID".
 */
void mime7to8_headers(const char *hdrs, size_t len, const char *eol, const char *cte,
                      const char *host, const char *qid, struct strbuf *out);

#endif
