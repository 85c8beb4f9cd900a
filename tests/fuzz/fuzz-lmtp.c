/*
 * fuzz-lmtp: arbitrary bytes as the command lines an MTA sends to
 * mail.local -l.  Each line (LF-separated, a CR before it removed) goes
 * through the verb parser and, for MAIL and RCPT, the path parsers, as
 * the LMTP session uses them.  A path never holds '>', a path without its
 * source route never begins with '@', and a recipient never holds '@' or
 * '+' (the local part and its detail are cut there).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "local/lmtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void command(const char *line)
{
	const char *arg;
	enum lmtp_verb v = lmtp_parse_verb(line, &arg);
	if (v != LMTP_MAIL && v != LMTP_RCPT)
		return;
	if (arg < line || arg > line + strlen(line))
		abort();
	char *path = lmtp_parse_path(arg, v == LMTP_MAIL ? "from:" : "to:");
	if (path == NULL)
		return;
	if (strchr(path, '>') != NULL)
		abort();
	const char *stripped = lmtp_strip_route(path);
	if (stripped != NULL && *stripped == '@')
		abort();
	char *user = lmtp_rcpt_user(path);
	if ((user == NULL) != (stripped == NULL))
		abort();
	if (user != NULL && strpbrk(user, "@+") != NULL)
		abort();
	free(user);
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), len = n;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		char *line = malloc(len + 1);
		if (line == NULL)
			abort();
		memcpy(line, p, len);
		line[len] = '\0';
		command(line);
		free(line);
		p += n + (nl ? 1 : 0);
	}
	return 0;
}
