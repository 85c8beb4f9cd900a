/*
 * Unit tests for lib/msg/mime7to8: the decision (text/plain, the two
 * encodings), both decoders against what sendmail 8.17.1 delivered
 * (tests/integration/deliver/expected/mime7to8.out), the header rewriting,
 * and round trips through lib/msg/mime8to7's encoders.
 */
#include <stdlib.h>

#include "harness.h"
#include "msg/envelope.h"
#include "msg/mime7to8.h"
#include "msg/mime8to7.h"
#include "util/strbuf.h"

static char *decode(enum mime7to8_kind kind, const char *in, size_t n, size_t *outlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fmemopen((void *)in, n, "r");
	FILE *out = open_memstream(&buf, &len);
	CHECK_INT(mime7to8_decode(kind, f, out), 0);
	fclose(f);
	fclose(out);
	if (outlen)
		*outlen = len;
	return buf;
}

static void check_decode(enum mime7to8_kind kind, const char *in, const char *want)
{
	char *got = decode(kind, in, strlen(in), NULL);
	CHECK_STR(got, want);
	free(got);
}

static void test_qp(void)
{
	check_decode(
	    MIME7TO8_QP,
	    "caf=C3=A9 line=3Dx and a soft=\n break\ntrailing=20\nlower =c3=a9\n\nend soft=\n",
	    "caf\xc3\xa9 line=x and a soft break\ntrailing \nlower \xc3\xa9\n\nend soft\n");
	check_decode(MIME7TO8_QP, "a\n", "a\n\n");
	check_decode(MIME7TO8_QP, "soft= \t\nnext", "softnext\n");
	/* not encodings: kept as they are */
	check_decode(MIME7TO8_QP, "bad =ZZ =4\n", "bad =ZZ =4\n\n");
}

static void test_base64(void)
{
	check_decode(MIME7TO8_BASE64, "Y2Fmw6kgbGluZQ0Kc2Vjb25kDQo=\nYWJj\n",
	             "caf\xc3\xa9 line\nsecond\nabc\n\n");
	check_decode(MIME7TO8_BASE64, "YWJj\n", "abc\n\n");
	check_decode(MIME7TO8_BASE64, "Y2Fmw6kgbGluZQ0Kc2Vjb25kDQo=\n",
	             "caf\xc3\xa9 line\nsecond\n\n");
	/* a CR not before an LF stays */
	check_decode(MIME7TO8_BASE64, "YQ1i\n", "a\rb\n\n");
	check_decode(MIME7TO8_BASE64, "", "\n");
}

static void add(struct envelope *e, const char *name, const char *value)
{
	envelope_add_header(e, name, value, NULL);
}

static void test_wanted(void)
{
	struct {
		const char *ctype, *cte;
		enum mime7to8_kind want;
	} cases[] = {
	    {" text/plain; charset=utf-8", " quoted-printable", MIME7TO8_QP},
	    {" TEXT/PLAIN;charset=utf-8", " Base64", MIME7TO8_BASE64},
	    {" text/plain", " base64", MIME7TO8_BASE64},
	    {" text/plainx", " base64", MIME7TO8_NONE},
	    {" text/html", " quoted-printable", MIME7TO8_NONE},
	    {" multipart/mixed; boundary=b", " quoted-printable", MIME7TO8_NONE},
	    {" text/plain", " 8bit", MIME7TO8_NONE},
	    {" text/plain", NULL, MIME7TO8_NONE},
	    {NULL, " base64", MIME7TO8_NONE},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct envelope e;
		const char *cte = NULL;
		envelope_init(&e);
		add(&e, "Subject", " x");
		if (cases[i].ctype)
			add(&e, "Content-Type", cases[i].ctype);
		if (cases[i].cte)
			add(&e, "Content-Transfer-Encoding", cases[i].cte);
		CHECK_INT(mime7to8_wanted(&e, &cte), cases[i].want);
		if (cases[i].want != MIME7TO8_NONE)
			CHECK_STR(cte, cases[i].cte + 1);
		envelope_free(&e);
	}
}

static void test_headers(void)
{
	struct strbuf out = STRBUF_INIT;
	const char *h = "Subject: qp\r\nContent-Transfer-Encoding:\r\n\tQuoted-Printable\r\n"
	                "Content-Type: text/plain\r\n";
	mime7to8_headers(h, strlen(h), "\r\n", "Quoted-Printable ", "host.example", "QID", &out);
	CHECK_STR(sb_str(&out),
	          "Subject: qp\r\nContent-Type: text/plain\r\n"
	          "Content-Transfer-Encoding: 8bit\r\n"
	          "X-MIME-Autoconverted: from Quoted-Printable to 8bit by host.example "
	          "id QID\r\n");
	sb_free(&out);
}

/* What mime8to7 encodes, mime7to8 gives back (with its last LF added). */
static void test_round_trip(void)
{
	static const char alphabet[] = "ab =.\t\n\xe9\xff";
	unsigned seed = 7;
	for (int round = 0; round < 1000; round++) {
		char in[200];
		size_t n, qlen, dlen;
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % 199;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (n == 0 || in[n - 1] != '\n')
			in[n++] = '\n';
		char *q = NULL;
		FILE *f = open_memstream(&q, &qlen);
		mime8to7_qp(in, n, false, f);
		fclose(f);
		char *d = decode(MIME7TO8_QP, q, qlen, &dlen);
		CHECK(dlen == n + 1 && memcmp(d, in, n) == 0 && d[n] == '\n');
		free(q);
		free(d);
	}
}

int main(void)
{
	static const struct test_case tests[] = {
	    {"qp", test_qp},           {"base64", test_base64},         {"wanted", test_wanted},
	    {"headers", test_headers}, {"round_trip", test_round_trip},
	};
	return RUN_TESTS(tests);
}
