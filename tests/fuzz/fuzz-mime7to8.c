/*
 * fuzz-mime7to8: arbitrary bytes as a quoted-printable or base64 body
 * (the first byte chooses) decoded for an F=9 mailer.  Decoded in one
 * piece and again cut where the next bytes say, the output must be the
 * same (the decoders stream); it may not grow beyond the input plus the
 * closing newlines, and it always ends in a newline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/mime7to8.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode(enum mime7to8_encoding enc, const char *p, size_t n, const uint8_t *cuts,
                   size_t ncuts, struct strbuf *out)
{
	struct mime7to8 m;
	size_t i = 0, c = 0;

	mime7to8_init(&m, enc);
	while (i < n) {
		size_t k = ncuts ? (size_t)cuts[c++ % ncuts] % 17 + 1 : n;
		if (k > n - i)
			k = n - i;
		mime7to8_feed(&m, p + i, k, out);
		i += k;
	}
	mime7to8_finish(&m, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf whole = STRBUF_INIT, cut = STRBUF_INIT;
	enum mime7to8_encoding enc;
	size_t ncuts;

	if (size < 2)
		return 0;
	enc = data[0] & 1 ? MIME7TO8_BASE64 : MIME7TO8_QP;
	ncuts = data[1] % 8;
	if (ncuts > size - 2)
		ncuts = size - 2;
	decode(enc, (const char *)data + 2 + ncuts, size - 2 - ncuts, NULL, 0, &whole);
	decode(enc, (const char *)data + 2 + ncuts, size - 2 - ncuts, data + 2, ncuts, &cut);
	if (whole.len != cut.len || memcmp(whole.s, cut.s, whole.len) != 0)
		abort();
	if (whole.len > size + 3 || whole.len == 0 || whole.s[whole.len - 1] != '\n')
		abort();
	sb_free(&whole);
	sb_free(&cut);
	return 0;
}
