/*
 * smrsh: sendmail's restricted shell for the prog mailer, `smrsh -c
 * command`: the command is checked and rewritten so that it can only run
 * programs from the smrsh directory (see lib/local/smrsh.h for the rule),
 * then handed to /bin/sh with PATH as the only environment variable.
 * Refusals print smrsh 8.17.1's messages, log them to the mail facility
 * and exit EX_UNAVAILABLE, which sendmail turns into a bounce.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <sysexits.h>
#include <unistd.h>

#include "local/smrsh.h"
#include "version.h"

#ifndef SMRSH_SHELL
#define SMRSH_SHELL "/bin/sh"
#endif
#define SMRSH_PATH "PATH=/usr/bin:/bin"

static int usage(const char *prog)
{
	fprintf(stderr, "Usage: %s -c command\n", prog);
	syslog(LOG_ERR, "usage");
	return EX_USAGE;
}

int main(int argc, char **argv)
{
	const char *prog = argc > 0 ? argv[0] : "smrsh";
	struct strbuf cmd = STRBUF_INIT;
	struct smrsh_error err = {0, STRBUF_INIT, STRBUF_INIT, 0};
	openlog("smrsh", 0, LOG_MAIL);
	if (argc != 3 || strcmp(argv[1], "-c") != 0 || argv[2][strspn(argv[2], " \t")] == '\0')
		return usage(prog);
	if (smrsh_rewrite(argv[2], SDMAIL_SMRSH_DIR, getuid(), &cmd, &err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err.text.s);
		syslog(err.log_priority, "%s", err.log.s);
		sb_free(&cmd);
		sb_free(&err.text);
		sb_free(&err.log);
		return err.status;
	}
	char *const env[] = {SMRSH_PATH, NULL};
	execle(SMRSH_SHELL, SMRSH_SHELL, "-c", cmd.s, (char *)NULL, env);
	int e = errno;
	fprintf(stderr, "%s: %s\n", SMRSH_SHELL, strerror(e));
	syslog(LOG_CRIT, "Cannot exec %s: %s", SMRSH_SHELL, strerror(e));
	sb_free(&cmd);
	return EX_OSFILE;
}
