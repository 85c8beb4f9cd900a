/*
 * headers: what sendmail knows about header names — the table of header
 * flags (originator, recipient, resent, trace, ...) used when collecting a
 * message, deciding which headers carry addresses, and by test mode's
 * /header command, which prints the flags with sendmail's bit values.
 */
#ifndef SDMAIL_MSG_HEADERS_H
#define SDMAIL_MSG_HEADERS_H

#include <stdbool.h>
#include <stddef.h>

enum header_flag {
	H_EOH = 0x00001,
	H_RCPT = 0x00002,
	H_DEFAULT = 0x00004,
	H_RESENT = 0x00008,
	H_CHECK = 0x00010,
	H_ACHECK = 0x00020,
	H_FORCE = 0x00040,
	H_TRACE = 0x00080,
	H_FROM = 0x00100,
	H_VALID = 0x00200,
	H_RECEIPTTO = 0x00400,
	H_ERRORSTO = 0x00800,
	H_CTE = 0x01000,
	H_CTYPE = 0x02000,
	H_BCC = 0x04000,
	H_ENCODABLE = 0x08000,
	H_STRIPCOMM = 0x10000,
	H_BINDLATE = 0x20000,
	H_USER = 0x40000,
};

/* The flags sendmail's table gives a header name (case-insensitive). */
struct envelope;
unsigned long header_flags(const char *name);

/*
 * The letters of a qf F line that follow from the message itself: 'b'
 * when it has To:, Cc: or Apparently-To: headers (not Bcc:, not Resent-),
 * '8' when its text has 8-bit bytes — in sendmail's order ("8b", then
 * the d/n of RET= and the 's' every queued message has: "F8bdns").
 */
void headers_envelope_flags(const struct envelope *e, bool eight_bit, char *out, size_t size);


struct cf;
struct macro_env;
struct envelope;

/*
 * After a message is collected: add the configuration's H lines the way
 * sendmail does — defaults only where the message lacks the header (the
 * Resent- ones only for resent messages), forced ones (Received) always,
 * each with its ?flags? condition, values expanded now except for headers
 * bound late (Return-Path keeps its macros), empty expansions dropped.
 * The defaults come first, the message's own headers after them.
 * With `keep_hidden`, an H line that is not written still gets its entry
 * with a NULL value, as in sendmail's header list, where the mail
 * filters' header indexes count it (the caller removes them before
 * anything is written).  Returns the last default header (NULL when none
 * was added).
 */
struct env_header *headers_add_defaults(struct cf *cf, const struct macro_env *env,
                                        struct envelope *e, bool keep_hidden);

/* The first header of that name (case-insensitive), or NULL. */
struct env_header *header_find(const struct envelope *e, const char *name);

/* Does the message carry any Resent-* header? */
bool headers_are_resent(const struct envelope *e);

#endif
