/*
 * data: the transparency encoding of a message sent with DATA (RFC 5321
 * 4.5.2 and 2.3.8).  Message text arrives in arbitrary chunks with local
 * line ends; it leaves with every line ended by CRLF, a '.' doubled at the
 * start of each line, and a final CRLF "." CRLF.  A CR not followed by LF
 * is taken as a line end too (RFC 5321 forbids sending CR or LF alone), so
 * the output never holds a bare CR or LF and no input can end the data
 * early.  The encoder keeps only the state between two chunks.  With a
 * line limit (a mailer's L=), a longer line is broken as sendmail breaks
 * it: the first LIMIT-1 characters and a '!', then continuation lines that
 * begin with a space, each again at most LIMIT characters with its '!'
 * (dot-stuffing comes on top and is not counted).
 */
#ifndef SDMAIL_SMTP_DATA_H
#define SDMAIL_SMTP_DATA_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct data_enc {
	bool bol;	 /* the next byte starts a line */
	bool pending_cr; /* the last chunk ended in CR */
	size_t limit;    /* longest line sent, 0: no limit */
	size_t col;      /* characters on the current line */
	bool held;       /* `hold`, the line's character number `limit`, waits:
			    the line breaks before it unless the line ends there */
	char hold;
};

void data_enc_init(struct data_enc *e);
/* Break lines longer than `limit` characters (0, 1: never). */
void data_enc_set_limit(struct data_enc *e, size_t limit);
/* Encode n bytes of message text, appending the wire form to out. */
void data_enc_put(struct data_enc *e, const char *p, size_t n, struct strbuf *out);
/* End the current line if it is open (no-op at the start of a line). */
void data_enc_end_line(struct data_enc *e, struct strbuf *out);
/* End the message: close an open last line, then ".\r\n". */
void data_enc_finish(struct data_enc *e, struct strbuf *out);

#endif
