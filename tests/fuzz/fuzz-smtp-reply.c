/*
 * fuzz-smtp-reply: arbitrary bytes as what an SMTP server sends.  The
 * input is cut into lines the way smtp/io does (LF, a CR before it
 * removed), fed to the reply parser; every complete reply is read back
 * line by line and given to the EHLO extension parser.  Servers are
 * untrusted: any crash, hang, leak or undefined behaviour is a bug, and
 * the parser's bounds must hold whatever arrives.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smtp/ehlo.h"
#include "smtp/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every announced mechanism is well-formed, upper case, and found again. */
static void check_mechs(const struct smtp_ext *ext)
{
	char word[32];
	const char *p = ext->auth_mechs;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, " ");
		if (n == 0 || n > 20 || strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") < n)
			abort();
		memcpy(word, p, n);
		word[n] = '\0';
		if (!ehlo_has_auth(ext, word))
			abort();
		p += n + (p[n] == ' ');
	}
}

static void use_reply(const struct smtp_reply *r, struct smtp_ext *ext)
{
	size_t total = 0, n;

	for (int i = 0; i < r->nlines; i++) {
		if (reply_line(r, i, &n) == NULL)
			abort();
		total += n;
	}
	if (total > REPLY_MAX_TEXT || r->text.len > REPLY_MAX_TEXT || r->nlines > REPLY_MAX_LINES)
		abort();
	if (r->code < 200 || r->code > 559 || strlen(r->enhanced) >= sizeof(r->enhanced))
		abort();
	if (r->enhanced[0] != '\0' && r->enhanced[0] != '0' + r->code / 100)
		abort();
	if (ehlo_parse(ext, r) == 0)
		check_mechs(ext);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct smtp_reply r;
	struct smtp_ext ext;

	reply_init(&r);
	ehlo_init(&ext);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), len = n;
		char *line;
		int rc;

		if (len > 0 && p[len - 1] == '\r')
			len--;
		line = malloc(len + 1); /* a line of its own, as io hands it out */
		if (line == NULL)
			break;
		memcpy(line, p, len);
		line[len] = '\0';
		rc = reply_add_line(&r, line, len);
		free(line);
		if (rc == 0)
			use_reply(&r, &ext);
		if (rc <= 0)
			reply_reset(&r);
		p += n + (nl ? 1 : 0);
	}
	ehlo_free(&ext);
	reply_free(&r);
	return 0;
}
