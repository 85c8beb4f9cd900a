/*
 * readcf: reading a sendmail.cf (version 10) into struct cf.  Handles
 * continuation lines, `#` comments with `\#` and `$#`, the `$` translation,
 * read-time macro expansion of rules and classes, and every line type:
 * V D C F K M O S R H P T E X Q.  Messages and exit statuses follow
 * sendmail ("FILE: line N: ..." on the output channel); a few errors are
 * fatal and stop reading with a sysexits code, as in sendmail.
 */
#ifndef SDMAIL_CF_READCF_H
#define SDMAIL_CF_READCF_H

#include <stdbool.h>
#include <stdio.h>

struct cf;

/* Read `path`; returns 0, or the sysexits code of a fatal error. */
int cf_read_file(struct cf *cf, const char *path);
/* Read from an open stream (tests, fuzzing); `name` for messages. */
int cf_read_stream(struct cf *cf, FILE *f, const char *name);
/* Process one logical line (already joined, without newline). */
int cf_read_line(struct cf *cf, char *line);

/*
 * The checks sendmail makes after reading: out-of-date warning, local
 * mailer present, and (when `need_queue`) QueueDirectory set.  Returns 0 or
 * a fatal sysexits code.
 */
int cf_finish(struct cf *cf, bool need_queue);

#endif
