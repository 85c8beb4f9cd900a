/*
 * putheader: the header block of a message as it goes out through a
 * mailer — sendmail's putheader/commaize.  A header is sent when the
 * mailer has all the flags of its ?flags? condition; Bcc headers never
 * leave; macros left in a value (Return-Path's <$g>) are expanded now;
 * the addresses of originator and recipient headers are rewritten for
 * the mailer (rulesets 3, 1/2, the mailer's S= or R= header ruleset, 4),
 * keeping full names and comments, and long address lists are folded.
 */
#ifndef SDMAIL_MSG_PUTHEADER_H
#define SDMAIL_MSG_PUTHEADER_H

struct rw_ctx;
struct envelope;
struct env_header;
struct mailer;
struct strbuf;

/* Append the headers for mailer `m` to `out`, lines ending with m's E=. */
void putheaders(struct rw_ctx *ctx, const struct envelope *e, const struct mailer *m,
		struct strbuf *out);
/* The same without the header `skip` (NULL: all of them). */
void putheaders_except(struct rw_ctx *ctx, const struct envelope *e, const struct mailer *m,
		       const struct env_header *skip, struct strbuf *out);

/* F=6: the headers written into `out` stripped to 7 bits (else as they are). */
void putheaders_seven_bit(const struct mailer *m, struct strbuf *out);

#endif
