/*
 * header: H lines — headers a configuration adds or checks.  Each has the
 * mailer-flag condition (`?F?`) or macro condition (`?${x}?`) under which
 * it is added, its value in the internal encoding, and optionally a
 * check ruleset (`$>Ruleset`, `$>+Ruleset` keeping comments).  Used by
 * message collection and header checks; parsed here with sendmail's
 * "header syntax error" message.
 */
#ifndef SDMAIL_CF_HEADER_H
#define SDMAIL_CF_HEADER_H

#include <stdbool.h>

struct cf;

struct header_def {
	char *name;
	unsigned char mflags[32]; /* required mailer flags (?F?) */
	int macro_cond;           /* ?${x}? condition id, 0 none */
	char *value;              /* encoded value, NULL for a check-only header */
	char *check_ruleset;      /* $>name */
	bool keep_comments;       /* $>+name */
	struct header_def *next;
};

void header_define(struct cf *cf, const char *body);
void header_defs_free(struct header_def *h);

#endif
