/*
 * auth: SMTP AUTH (RFC 4954) in the ESMTP server session, as sendmail
 * 8.17 runs it over lib/sasl: the EHLO keyword "AUTH <mechanisms>"
 * (AuthMechanisms ∩ what libsasl2 offers under AuthOptions, none on an
 * M=A port or with srv_features A), the AUTH command with sendmail's replies (334 challenges in
 * base64, "235 2.0.0 OK Authenticated", 535/501/503/504 errors, "*"
 * cancels) and its growing delay after repeated failures, the macros
 * ${auth_type} ${auth_authen} ${auth_author} ${auth_ssf} and $r's "A"
 * (session_define_protocol), and MAIL's AUTH= parameter: xtext,
 * kept only when the trust_auth ruleset accepts it from an authenticated
 * client, "<>" otherwise.
 */
#ifndef SDMAIL_SMTP_AUTH_H
#define SDMAIL_SMTP_AUTH_H

#include <stdbool.h>

struct session;
struct strbuf;

/* Append "AUTH mechs\n" to the EHLO keywords when AUTH is offered. */
void auth_ehlo_keyword(struct session *s, struct strbuf *out);
/* The AUTH command; `args` is what follows the verb. */
void cmd_auth(struct session *s, char *args);
/* MAIL's AUTH= parameter (NULL: given without "="): false with the
 * reply sent when it is not xtext; else the envelope's value is set. */
bool auth_mail_param(struct session *s, const char *value);
/* Release the session's AUTH state. */
void auth_session_free(struct session *s);

#endif
