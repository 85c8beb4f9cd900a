/*
 * classfile: F lines — filling a class from a file (`Fw/etc/mail/local-
 * host-names`, optionally `-o` and a scanf-style format such as `%[^#]`)
 * or from a program's output (`Fx|/path/prog args`).  Only the format
 * conversions sendmail configurations use (%s and %[...]) are accepted,
 * so a malformed format can never crash the reader.
 */
#ifndef SDMAIL_CF_CLASSFILE_H
#define SDMAIL_CF_CLASSFILE_H

struct cf;

void classfile_read(struct cf *cf, const char *body);

/*
 * Apply a one-conversion format to `line`: returns the matched text in a
 * new string, or NULL when the line does not match.  Exposed for tests.
 */
char *classfile_scan(const char *fmt, const char *line);

#endif
