/*
 * fuzz-mime7to8: arbitrary bytes through the F=9 decoders.  The first
 * byte chooses quoted-printable or base64 for decoding the rest, which
 * must succeed and not grow beyond what the input can encode; then the
 * rest, as 8-bit text, is encoded by mime8to7 and decoded again: it must
 * come back as it was (CRLF as LF for base64), its last line ended and
 * one LF after it, as sendmail's decoders deliver it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg/mime7to8.h"
#include "msg/mime8to7.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *decode(enum mime7to8_kind kind, const char *p, size_t n, size_t *len)
{
	char *out = NULL;
	FILE *in = fmemopen((void *)p, n, "r");
	FILE *o = open_memstream(&out, len);
	if (in == NULL || o == NULL || mime7to8_decode(kind, in, o) != 0)
		abort();
	fclose(in);
	fclose(o);
	return out;
}

static char *encode(bool b64, const char *p, size_t n, size_t *len)
{
	char *out = NULL;
	FILE *o = open_memstream(&out, len);
	if (o == NULL)
		abort();
	if (b64)
		mime8to7_base64(p, n, false, o);
	else
		mime8to7_qp(p, n, false, o);
	fclose(o);
	return out;
}

static void round_trip(bool b64, const char *p, size_t n)
{
	size_t elen, dlen, want = n + (p[n - 1] == '\n' ? 1 : 2);
	char *enc = encode(b64, p, n, &elen);
	char *dec = decode(b64 ? MIME7TO8_BASE64 : MIME7TO8_QP, enc, elen, &dlen);

	if (dlen != want || memcmp(dec, p, n) != 0 || dec[dlen - 1] != '\n')
		abort();
	free(enc);
	free(dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1;
	size_t n, len;
	bool b64;
	char *out;

	if (size < 2)
		return 0;
	b64 = data[0] & 1;
	n = size - 1;
	out = decode(b64 ? MIME7TO8_BASE64 : MIME7TO8_QP, p, n, &len);
	if (len > n + 2)
		abort();
	free(out);
	/* base64 gives CRLF back as LF: only texts without CR compare */
	if (!b64 || memchr(p, '\r', n) == NULL)
		round_trip(b64, p, n);
	return 0;
}
