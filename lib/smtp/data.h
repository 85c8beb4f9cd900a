/*
 * data: the transparency encoding of a message sent with DATA (RFC 5321
 * 4.5.2 and 2.3.8).  Message text arrives in arbitrary chunks with local
 * line ends; it leaves with every line ended by CRLF, a '.' doubled at the
 * start of each line, and a final CRLF "." CRLF.  A CR not followed by LF
 * is taken as a line end too (RFC 5321 forbids sending CR or LF alone), so
 * the output never holds a bare CR or LF and no input can end the data
 * early.  The encoder keeps only the state between two chunks.
 */
#ifndef SDMAIL_SMTP_DATA_H
#define SDMAIL_SMTP_DATA_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct data_enc {
	bool bol;	 /* the next byte starts a line */
	bool pending_cr; /* the last chunk ended in CR */
};

void data_enc_init(struct data_enc *e);
/* Encode n bytes of message text, appending the wire form to out. */
void data_enc_put(struct data_enc *e, const char *p, size_t n, struct strbuf *out);
/* End the current line if it is open (no-op at the start of a line). */
void data_enc_end_line(struct data_enc *e, struct strbuf *out);
/* End the message: close an open last line, then ".\r\n". */
void data_enc_finish(struct data_enc *e, struct strbuf *out);

#endif
