/*
 * mime7to8: what sendmail 8.17.1 does to a message for a mailer with F=9
 * (Debian's local, prog and *file* mailers), as observed: a message whose
 * Content-Type is text/plain (any case, any parameters; MIME-Version is
 * not required) and whose Content-Transfer-Encoding is quoted-printable or
 * base64 is delivered decoded.  Its encoding header is dropped and two
 * are added after the last header, "Content-Transfer-Encoding: 8bit" and
 * "X-MIME-Autoconverted: from ENCODING to 8bit by HOST id QID".  Any other
 * type (text/html, multipart, none) goes as it is.  The decoders keep
 * sendmail's ways: quoted-printable is decoded line by line, a line that
 * ends in '=' or meets an '=' without two hex digits after it continues
 * on the next line, and one more newline ends the body; base64 skips
 * white space, takes a character outside its alphabet as all bits set,
 * ends a group at '=' and goes on after it, turns decoded CRLF into LF,
 * ends an unterminated last line and adds one more newline.
 * The decoders stream: any split of the input gives the same output.
 */
#ifndef SDMAIL_MSG_MIME7TO8_H
#define SDMAIL_MSG_MIME7TO8_H

#include <stdbool.h>
#include <stddef.h>

struct envelope;
struct env_header;
struct strbuf;

enum mime7to8_encoding {
	MIME7TO8_NONE,
	MIME7TO8_QP,
	MIME7TO8_BASE64,
};

/*
 * Does e's message get decoded for an F=9 mailer?  Returns the encoding,
 * with *cte its Content-Transfer-Encoding header, or MIME7TO8_NONE.
 */
enum mime7to8_encoding mime7to8_check(const struct envelope *e, const struct env_header **cte);

/* The value of that header as sendmail quotes it: unfolded, trimmed. */
void mime7to8_encoding_name(const struct env_header *cte, struct strbuf *out);

/*
 * The headers that take the place of `cte`, after the last one:
 * "Content-Transfer-Encoding: 8bit" and "X-MIME-Autoconverted: from
 * ENCODING to 8bit by HOST id QID", lines ending in eol.
 */
void mime7to8_headers(const struct env_header *cte, const char *host, const char *qid,
                      const char *eol, struct strbuf *out);

struct mime7to8 {
	enum mime7to8_encoding enc;
	/* quoted-printable */
	char hex[2];     /* the digits after '=' so far */
	int pending;     /* 0, or 1 + how many digits follow an '=' so far */
	bool skipping;   /* the rest of the line after a bad '=' */
	bool pending_cr; /* a CR that may begin a CRLF (base64: decoded) */
	/* base64 */
	int vals[4];     /* the group so far, -1 for a foreign character */
	int nvals;
	char last;       /* the last byte written */
	/* quoted-printable: the current line has characters; base64: a byte
	 * was written */
	bool wrote;
};

void mime7to8_init(struct mime7to8 *m, enum mime7to8_encoding enc);
/* Decode n more bytes of the body, appending to out. */
void mime7to8_feed(struct mime7to8 *m, const char *p, size_t n, struct strbuf *out);
/* The end of the body: what is still pending, and the closing newline. */
void mime7to8_finish(struct mime7to8 *m, struct strbuf *out);

#endif
