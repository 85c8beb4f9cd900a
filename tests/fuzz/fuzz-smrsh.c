/*
 * fuzz-smrsh: arbitrary bytes as the command sendmail gives smrsh -c.
 * The smrsh directory is a private temporary one holding one executable
 * program, "prog", and one that is not executable, "plain".  An accepted
 * command must come out within smrsh's length limit and without any
 * character smrsh refuses (` < > ; $ ( ) CR LF, or a '|' or '&' that is
 * not doubled), and every program word it runs must be echo, exit or
 * DIR/prog; a refused one has EX_UNAVAILABLE and a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "local/smrsh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

/* the directory goes when the process ends */
static void cleanup(void)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/prog", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/plain", dir);
	unlink(path);
	rmdir(dir);
}

static void setup(void)
{
	char path[128];
	FILE *f;
	strcpy(dir, "/tmp/fuzz-smrsh-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/prog", dir);
	if ((f = fopen(path, "w")) == NULL || fclose(f) != 0 || chmod(path, 0755) != 0)
		abort();
	snprintf(path, sizeof(path), "%s/plain", dir);
	if ((f = fopen(path, "w")) == NULL || fclose(f) != 0 || chmod(path, 0644) != 0)
		abort();
	atexit(cleanup);
}

/* The program words of an accepted command: after "||"/"&&" and "exec ". */
static void check_programs(const char *s)
{
	size_t dlen = strlen(dir);
	for (;;) {
		s += strspn(s, " \t");
		while (strncmp(s, "exec ", 5) == 0)
			s += 5 + strspn(s + 5, " \t");
		size_t n = strcspn(s, " \t|&");
		if (n > 0 && !(n == 4 && (strncmp(s, "echo", 4) == 0 || strncmp(s, "exit", 4) == 0)) &&
		    !(n == dlen + 5 && strncmp(s, dir, dlen) == 0 && strncmp(s + dlen, "/prog", 5) == 0))
			abort();
		const char *op = strpbrk(s, "|&");
		if (op == NULL)
			return;
		if (op[1] != op[0])
			abort();
		s = op + 2;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (dir[0] == '\0')
		setup();
	char *cmd = malloc(size + 1);
	if (cmd == NULL)
		abort();
	memcpy(cmd, data, size);
	cmd[size] = '\0';
	struct strbuf out = STRBUF_INIT;
	struct smrsh_error err = {0, STRBUF_INIT, STRBUF_INIT, 0};
	if (smrsh_rewrite(cmd, dir, 1000, &out, &err) == 0) {
		if (out.len > SMRSH_MAX_COMMAND || strpbrk(out.s ? out.s : "", "`<>;$()\r\n") != NULL)
			abort();
		check_programs(out.s ? out.s : "");
	} else if (err.status != EX_UNAVAILABLE || err.text.len == 0 || err.log.len == 0) {
		abort();
	}
	sb_free(&out);
	sb_free(&err.text);
	sb_free(&err.log);
	free(cmd);
	return 0;
}
