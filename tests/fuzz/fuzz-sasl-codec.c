/*
 * fuzz-sasl-codec: arbitrary bytes through the parsers of SMTP AUTH's
 * untrusted text (lib/sasl/codec): as a base64 SASL response, as an
 * AUTH= xtext value, and as an authinfo map entry.  Checks round trips:
 * what decodes re-encodes to the same text (base64) or decodes again to
 * the same bytes (xtext), and a parsed authinfo entry always has an
 * identity and a secret.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sasl/codec.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void base64(const char *text, size_t size)
{
	struct strbuf dec = STRBUF_INIT, enc = STRBUF_INIT;

	if (b64_decode(text, size, &dec) == 0 && !(size == 1 && text[0] == '=')) {
		b64_encode((const unsigned char *)sb_str(&dec), dec.len, &enc);
		/* strict decoding: only canonical text is accepted */
		if (enc.len != size || (size && memcmp(enc.s, text, size) != 0))
			abort();
	}
	sb_free(&dec);
	sb_free(&enc);
}

static void xtext(const char *text)
{
	struct strbuf dec = STRBUF_INIT, enc = STRBUF_INIT, again = STRBUF_INIT;

	if (xtext_decode(text, &dec) == 0) {
		if (!xtext_valid(text))
			abort();
		xtext_encode(sb_str(&dec), "<>\")", &enc);
		if (xtext_decode(sb_str(&enc), &again) < 0 || again.len != dec.len ||
		    (dec.len && memcmp(again.s, dec.s, dec.len) != 0))
			abort();
	}
	sb_free(&dec);
	sb_free(&enc);
	sb_free(&again);
}

static void authinfo(const char *text)
{
	struct authinfo ai;

	if (authinfo_parse(text, &ai) == 0 &&
	    (ai.secret == NULL || ai.authid == NULL || ai.user == NULL))
		abort();
	authinfo_free(&ai);
	(void)mech_in_list(text, "PLAIN");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);

	base64((const char *)data, size);
	xtext(text);
	authinfo(text);
	free(text);
	return 0;
}
