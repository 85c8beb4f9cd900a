/* Unit tests for lib/msg/mime7to8: the cases sendmail 8.17.1 showed, in
 * one piece and a byte at a time (the deliver-golden-qp-* tests run them
 * through real mailers). */
#include <stdlib.h>

#include "harness.h"
#include "msg/envelope.h"
#include "msg/mime7to8.h"
#include "util/strbuf.h"

static enum mime7to8_encoding check(const char *ctype, const char *cte)
{
	struct envelope e;
	const struct env_header *h = NULL;
	enum mime7to8_encoding enc;

	envelope_init(&e);
	envelope_add_header(&e, "Subject", " x", NULL);
	if (ctype != NULL)
		envelope_add_header(&e, "Content-Type", ctype, NULL);
	if (cte != NULL)
		envelope_add_header(&e, "Content-Transfer-Encoding", cte, NULL);
	enc = mime7to8_check(&e, &h);
	envelope_free(&e);
	return enc;
}

static void test_check(void)
{
	CHECK_INT(check(" text/plain; charset=utf-8", " quoted-printable"), MIME7TO8_QP);
	CHECK_INT(check(" Text/Plain", " BASE64"), MIME7TO8_BASE64);
	CHECK_INT(check(" text/plain;\n\tcharset=x", "\n quoted-printable"), MIME7TO8_QP);
	CHECK_INT(check(" text/html", " quoted-printable"), MIME7TO8_NONE);
	CHECK_INT(check(" text/plainer", " base64"), MIME7TO8_NONE);
	CHECK_INT(check(NULL, " base64"), MIME7TO8_NONE);
	CHECK_INT(check(" text/plain", " 7bit"), MIME7TO8_NONE);
	CHECK_INT(check(" text/plain", NULL), MIME7TO8_NONE);
}

static void check_decode(enum mime7to8_encoding enc, const char *in, const char *want)
{
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		struct mime7to8 m;
		struct strbuf out = STRBUF_INIT;

		mime7to8_init(&m, enc);
		if (bytewise)
			for (const char *p = in; *p; p++)
				mime7to8_feed(&m, p, 1, &out);
		else
			mime7to8_feed(&m, in, strlen(in), &out);
		mime7to8_finish(&m, &out);
		CHECK_STR(sb_str(&out), want);
		sb_free(&out);
	}
}

static void test_decode(void)
{
	check_decode(MIME7TO8_QP, "Caf=E9\r\n", "Caf\xe9\n\n");
	check_decode(MIME7TO8_QP, "a=\r\nb=20\r\nlast=\r\n", "ab \nlast\n");
	check_decode(MIME7TO8_QP, "b=ZZ c\r\nnext=41\r\n", "bnextA\n\n");
	check_decode(MIME7TO8_QP, "x=c3=a9", "x\xc3\xa9\n\n");
	check_decode(MIME7TO8_BASE64, "Q2Fmw6kK\r\n", "Caf\xc3\xa9\n\n");
	check_decode(MIME7TO8_BASE64, "aGVsbG8=\r\nYWJj", "helloabc\n\n");
	check_decode(MIME7TO8_BASE64, "YQ0KYg0=", "a\nb\r\n\n");
	check_decode(MIME7TO8_BASE64, "aGVs!bG8K", "hel\xfd\xb1\xbc\n\n");
}

static const struct test_case tests[] = {
	{"check", test_check},
	{"decode", test_decode},
};

int main(void)
{
	return RUN_TESTS(tests);
}
