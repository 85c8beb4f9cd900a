/*
 * helpfile: the SMTP HELP command's text, from the file the HelpFile
 * option names, in sendmail's format: each line is a topic, a tab and a
 * line of text; "$v" and other macros in the text are expanded.  HELP
 * without a topic shows the "smtp" topic.
 */
#ifndef SDMAIL_SMTP_HELPFILE_H
#define SDMAIL_SMTP_HELPFILE_H

struct cf;
struct macro_env;
struct strbuf;

/*
 * The lines of `topic` (lower-cased by the caller), '\n'-separated, into
 * `out`.  Returns 1 found, 0 no such topic, -errno when the file cannot
 * be read.
 */
int helpfile_topic(struct cf *cf, const struct macro_env *env, const char *path,
		   const char *topic, struct strbuf *out);

#endif
