/*
 * codec: the untrusted text formats of SMTP AUTH, without libsasl2 —
 * base64 as RFC 4954 carries SASL responses ("=" is an empty response,
 * no line breaks, padding required), xtext (RFC 3461) of the MAIL
 * AUTH= parameter and ${auth_authen}, and the entries of sendmail's
 * authinfo map (`"U:user" "I:authid" "P:secret" "R:realm" "M:mechs"`).
 * Everything here is pure and fuzzed (tests/fuzz/fuzz-sasl-codec.c).
 */
#ifndef SDMAIL_SASL_CODEC_H
#define SDMAIL_SASL_CODEC_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* Decode `in` (RFC 4954 response, "=" alone = empty) into `out`
 * (reset first).  -EINVAL when it is not strict base64. */
int b64_decode(const char *in, size_t len, struct strbuf *out);
/* Append the base64 of `len` bytes. */
void b64_encode(const unsigned char *in, size_t len, struct strbuf *out);

/* RFC 3461 xtext: "+XX" (uppercase hex, not "+00") and printable ASCII
 * except "=". */
bool xtext_valid(const char *s);
/* Decode valid xtext into `out` (reset first); -EINVAL when invalid. */
int xtext_decode(const char *s, struct strbuf *out);
/* Append `s` as xtext; sendmail also encodes the characters in `extra`
 * (it uses "<>\")" for ${auth_authen}). */
void xtext_encode(const char *s, const char *extra, struct strbuf *out);

/* One authinfo map value, as sendmail reads it: quoted "X:value" fields
 * (X=value for P means base64); U and I stand in for each other. */
struct authinfo {
	char *user;   /* U: authorization identity */
	char *authid; /* I: authentication identity */
	char *secret; /* P: the password */
	char *realm;  /* R: */
	char *mechs;  /* M: space separated, NULL = any */
};
/* Parse `value`; -EINVAL on a malformed entry or one without a secret
 * or identity.  Free with authinfo_free() in any case. */
int authinfo_parse(const char *value, struct authinfo *ai);
void authinfo_free(struct authinfo *ai);

/* Is `mech` one of the words of the space separated `list`
 * (case-insensitive)? */
bool mech_in_list(const char *list, const char *mech);

#endif
