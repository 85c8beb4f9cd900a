/*
 * crackaddr: splitting a header address into its address part and the
 * rest (sendmail's crackaddr).  The address part is replaced by `$g`, so
 * the result is a template that keeps full names and comments when the
 * address is rewritten: `Joe <a@b> (x)` -> `Joe <$g> (x)`,
 * `a@b (Joe)` -> `$g (Joe)`.  Full names containing characters that
 * must be quoted (MustQuoteChars plus RFC 5322 specials) are quoted.
 */
#ifndef SDMAIL_MSG_CRACKADDR_H
#define SDMAIL_MSG_CRACKADDR_H

struct cf;

/* Returns a new string in the internal encoding ($g as a meta); caller frees. */
char *crackaddr(const struct cf *cf, const char *addr);

#endif
