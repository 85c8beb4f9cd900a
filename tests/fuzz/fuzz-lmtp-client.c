/*
 * fuzz-lmtp-client: arbitrary bytes as the replies a local mailer sends
 * over LMTP (deliver/progmailer).  The input is cut into lines; each line
 * is read as a reply to RCPT, then as a reply after the data.  The mailer
 * is a program of the configuration, not trusted to be well-behaved: any
 * crash, leak or undefined behaviour is a bug, and every result must be
 * one sendmail could report — a sysexits status, an RFC 3463 code of the
 * reply's class and a stat= text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "deliver/progmailer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct pm_rcpt *p)
{
	size_t n = strlen(p->dsn);

	if (p->stat == NULL || p->reply == NULL || n < 5 || n >= sizeof(p->dsn))
		abort();
	if (p->dsn[1] != '.' || strspn(p->dsn, "0123456789.") != n)
		abort();
	if ((p->exit == EX_OK) != (p->dsn[0] == '2'))
		abort();
	if (p->exit == EX_TEMPFAIL && p->dsn[0] != '4')
		abort();
	if (p->exit != EX_OK && p->exit != EX_TEMPFAIL && p->dsn[0] != '5')
		abort();
	if (strcmp(p->dsn, p->dsn_status) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char *line, *save = NULL;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct pm_rcpt p = {0};
		size_t n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		progmailer_lmtp_result(&p, line, true);
		check(&p);
		progmailer_lmtp_result(&p, line, false);
		check(&p);
		progmailer_results_free(&p, 1);
	}
	free(text);
	return 0;
}
