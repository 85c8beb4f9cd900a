/*
 * proctitle: process titles in place of argv (proctitle.h).
 */
#include "proctitle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

/*
 * The memory `ps` reads the command line from: argv[0] up to the end of
 * the last contiguous argv/environ string.  Process-wide by nature, set
 * once by proctitle_init.
 */
static char *title_area;
static size_t title_len;
static char **argv_copies;
static char **env_copies;

void proctitle_init(int argc, char **argv)
{
	char *end;
	int n = 0;
	char **copy;

	if (argc < 1 || argv[0] == NULL)
		return;
	end = argv[0] + strlen(argv[0]) + 1;
	for (int i = 1; i < argc; i++)
		if (argv[i] == end)
			end = argv[i] + strlen(argv[i]) + 1;
	while (environ && environ[n])
		n++;
	for (int i = 0; i < n; i++)
		if (environ[i] == end)
			end = environ[i] + strlen(environ[i]) + 1;
	/* environ and argv get copies before their old place is overwritten */
	copy = calloc((size_t)n + 1, sizeof(char *));
	if (copy == NULL)
		return;
	for (int i = 0; i < n; i++)
		copy[i] = strdup(environ[i]);
	/* unsetenv() drops entries from environ: keep every copy reachable */
	env_copies = calloc((size_t)n + 1, sizeof(char *));
	if (env_copies != NULL)
		memcpy(env_copies, copy, (size_t)n * sizeof(char *));
	environ = copy;
	title_area = argv[0];
	/* kept for the life of the process (and reachable from here, since
	 * the caller may rearrange argv) */
	argv_copies = calloc((size_t)argc + 1, sizeof(char *));
	for (int i = 0; i < argc && argv_copies != NULL; i++)
		argv[i] = argv_copies[i] = strdup(argv[i]);
	title_len = (size_t)(end - title_area);
}

void proctitle_set(const char *fmt, ...)
{
	char buf[512];
	size_t n;
	va_list ap;

	if (title_area == NULL || title_len < 2)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	if (n >= title_len)
		n = title_len - 1;
	memcpy(title_area, buf, n);
	memset(title_area + n, '\0', title_len - n);
}
