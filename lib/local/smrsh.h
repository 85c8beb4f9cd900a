/*
 * smrsh: the rule of sendmail's restricted shell, as a function from the
 * `-c` command to the command /bin/sh gets.  The command is a list of
 * segments joined by "||" or "&&"; in each, leading blanks are dropped,
 * "exec " prefixes kept, and the first word either is one of the shell
 * builtins echo and exit (left alone) or names a program, which must be a
 * regular file executable by the caller in the smrsh directory: its path is
 * replaced by that directory and the word's last component.  The rest of a
 * segment is copied as it is, except that the characters ` < > ; $ ( )
 * CR LF and a single | or & refuse the whole command.  The result may not
 * exceed 998 bytes (nor the command 982 with the directory's length).
 * Errors carry smrsh 8.17.1's texts, log lines and exit statuses; checks
 * happen in sendmail's order, left to right.
 */
#ifndef SDMAIL_LOCAL_SMRSH_H
#define SDMAIL_LOCAL_SMRSH_H

#include <sys/types.h>

#include "util/strbuf.h"

#define SMRSH_MAX_COMMAND 998

struct smrsh_error {
	int status;           /* sysexits code */
	struct strbuf text;   /* for stderr, after "argv0: " */
	struct strbuf log;    /* for syslog */
	int log_priority;     /* LOG_CRIT, LOG_WARNING */
};

/*
 * Rewrite cmd for the programs in cmddir, as user uid (for the log).
 * Returns 0 with the new command in *out, or -1 with *err filled (the
 * caller initializes both strbufs and frees them).
 */
int smrsh_rewrite(const char *cmd, const char *cmddir, uid_t uid, struct strbuf *out,
		  struct smrsh_error *err);

#endif
