/*
 * fuzz-ctladdr: feeds arbitrary bytes to the reader of the qf C line that
 * names the alias an expansion member came from ("user:uid:gid:address",
 * recipient.h rcpt_ctl_parse).  A queue file is read back by the MTA, so
 * its lines must be split without reading past their end: when the line
 * is accepted the user is a non-empty prefix without a colon, the ids are
 * what the digits say, and the address is a non-empty suffix of the line
 * — or the target aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/recipient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-ctladdr: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct rcpt_ctl c;

	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (rcpt_ctl_parse(line, &c)) {
		size_t n = strlen(line);
		if (c.user != line || c.user_len == 0 || memchr(c.user, ':', c.user_len) != NULL)
			fail("bad user");
		if (c.address <= line + c.user_len || c.address >= line + n || *c.address == '\0')
			fail("bad address");
		if (c.uid > 999999999UL || c.gid > 999999999UL)
			fail("ids out of range");
	}
	free(line);
	return 0;
}
