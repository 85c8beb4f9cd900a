/*
 * verify: `sendmail -bv` — resolve each recipient to its delivery triple
 * without delivering: parse (rulesets 3 and 0), reject program and file
 * recipients that did not come from an alias, look local users up in the
 * password database (with +detail stripped), drop duplicates, and print
 * "addr... deliverable: mailer M, host H, user U" for what would be
 * delivered, in sendmail's order.  Returns sendmail's exit status.
 */
#ifndef SDMAIL_TESTMODE_VERIFY_H
#define SDMAIL_TESTMODE_VERIFY_H

struct cf;

int verify_addresses(struct cf *cf, const char *sender, char **argv, int argc);

#endif
