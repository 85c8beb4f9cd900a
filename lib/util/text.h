/*
 * text: small string helpers shared across modules — sendmail's
 * stripquotes (double quotes removed, backslash escapes resolved in
 * place) and the login name of the invoking user.
 */
#ifndef SDMAIL_UTIL_TEXT_H
#define SDMAIL_UTIL_TEXT_H

/* Remove '"' characters and resolve `\c` escapes, in place. */
void text_strip_quotes(char *s);

/* The invoking (real) user's login name, or "nobody". */
const char *text_invoking_user(void);

#endif
