/*
 * fuzz-mime8to7: arbitrary bytes as a message converted for a server
 * without 8BITMIME.  The input up to the first empty line is the header
 * block, the rest the body (a memory file, seekable as a df is).  The
 * conversion must succeed, and converting its output again must change
 * nothing: every 8-bit part was encoded (and says so), every boundary and
 * header block was written in the form the walk reads back.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg/mime8to7.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *run(const char *h, size_t hlen, const char *b, size_t blen, size_t *outlen)
{
	struct mime8to7 opt = {.host = "fuzz.example", .qid = "QID"};
	char *out = NULL;
	FILE *in = fmemopen((void *)b, blen, "r");
	FILE *o = open_memstream(&out, outlen);
	if (in == NULL || o == NULL)
		abort();
	if (mime8to7_convert(&opt, h, hlen, in, o) != 0)
		abort();
	fclose(in);
	fclose(o);
	return out;
}

/*
 * A preamble or epilogue loses its eighth bit (as in sendmail), which can
 * make a line end (0x8a, 0x8d) or a boundary ("--\xef" is "--o") that the
 * second pass reads as such, and quoted-printable's soft breaks can start
 * a line with the "--B" of a longer one (sendmail 8.17.1 does the same),
 * and a bare CR that ends up before a line end the conversion writes (at
 * the end of a part) reads as CRLF, an empty line, the second time: no
 * idempotence for those inputs.
 */
static bool may_forge(const char *p, size_t n)
{
	bool dashes = false, bol = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == 0x8a || c == 0x8d || c == 0xad || (dashes && c >= 0x80))
			return true;
		if (c == '\r' && (i + 1 == n || p[i + 1] != '\n'))
			return true;
		/* a soft line break can put "--B" inside a line at the start of one */
		if (!bol && c == '-' && i + 1 < n && p[i + 1] == '-')
			return true;
		if (bol)
			dashes = i + 1 < n && c == '-' && p[i + 1] == '-';
		else if (c == '\n')
			dashes = false;
		bol = c == '\n';
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *)data;
	const char *blank = memmem(msg, size, "\n\n", 2);
	size_t hlen = blank ? (size_t)(blank - msg) + 1 : size;
	size_t blen = blank ? size - hlen - 1 : 0;
	size_t outlen;
	char *out;

	/* an empty body is a zero-length memory file: fmemopen needs one byte */
	if (blen == 0)
		return 0;
	out = run(msg, hlen, msg + hlen + 1, blen, &outlen);
	blank = memmem(out, outlen, "\n\n", 2);
	if (!may_forge(msg, size) && blank != NULL && (size_t)(blank - out) + 2 < outlen) {
		size_t h2 = (size_t)(blank - out) + 1, again_len;
		char *again = run(out, h2, out + h2 + 1, outlen - h2 - 1, &again_len);
		if (again_len != outlen || memcmp(again, out, outlen) != 0)
			abort();
		free(again);
	}
	free(out);
	return 0;
}
