/*
 * Unit tests for lib/msg/mime8to7: the two encoders against what sendmail
 * 8.17.1 wrote (tests/integration/mime/expected), their output decoded
 * back for many generated inputs (7-bit only, lines of at most 76
 * characters, the content again), and the MIME walk over messages read
 * from memory.
 */
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "msg/mime8to7.h"

static char *qp(const char *in, size_t n, bool in_multipart)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	mime8to7_qp(in, n, in_multipart, out);
	fclose(out);
	return buf;
}

static char *b64(const char *in, size_t n, bool in_multipart)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	mime8to7_base64(in, n, in_multipart, out);
	fclose(out);
	return buf;
}

static void check_qp(const char *in, bool mp, const char *want)
{
	char *got = qp(in, strlen(in), mp);
	CHECK_STR(got, want);
	free(got);
}

static void check_b64(const char *in, bool mp, const char *want)
{
	char *got = b64(in, strlen(in), mp);
	CHECK_STR(got, want);
	free(got);
}

static char *repeat(char c, size_t n, const char *tail)
{
	char *s = malloc(n + strlen(tail) + 1);
	memset(s, c, n);
	strcpy(s + n, tail);
	return s;
}

/* sendmail's quoted-printable (expected/qp.out) */
static void test_qp_encoding(void)
{
	check_qp("caf\xc3\xa9 line=x\n", false, "caf=C3=A9 line=3Dx\n");
	check_qp("second \nthird\t\n", false, "second=20\nthird=09\n");
	check_qp(".dot\nFrom me\n.\n", false, ".dot\nFrom me\n=2E\n");
	check_qp("specials !\"#$@[\\]^`{|}~ end\n", false, "specials !\"#$@[\\]^`{|}~ end\n");
	check_qp("x\001y\177z\n", false, "x=01y=7Fz\n");
	check_qp("  \n\n", false, " =20\n\n");
	check_qp("tab\tx", false, "tab\tx\n");
	/* the end of a part inside a multipart always ends a line */
	check_qp("a\n", false, "a\n");
	check_qp("a\n", true, "a\n\n");
	check_qp("a", true, "a\n");
}

static void test_qp_soft_breaks(void)
{
	struct {
		size_t n;
		const char *tail, *want_tail;
	} cases[] = {
	    {73, "\n", "\n"},               /* 73 fit */
	    {74, "\n", "=\na\n"},           /* the 74th goes on */
	    {69, "\xc3\xa9\n", "=C3=A9\n"}, /* 72 before the last =XX */
	    {70, "\xc3\xa9\n", "=C3=\n=A9\n"},
	    {73, "\xc3\xa9\n", "=\n=C3=A9\n"},
	    {72, " \n", "=20\n"},
	    {73, " \n", "=\n=20\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t keep = cases[i].n > 73 ? 73 : cases[i].n;
		char *in = repeat('a', cases[i].n, cases[i].tail);
		char *want = repeat('a', keep, cases[i].want_tail);
		check_qp(in, false, want);
		free(in);
		free(want);
	}
}

/* sendmail's base64 (expected/base64.out, edges.out) */
static void test_base64_encoding(void)
{
	char *e54 = repeat('\xe9', 54, "");
	char *got;

	check_b64("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	          "ab\n",
	          false, "w6nDqcOpw6lhYg0K\n");
	check_b64("ab\xff\xfe\ncd\n", false, "YWL//g0KY2QNCg==\n");
	check_b64("caf\xc3\xa9", true, "Y2Fmw6k=\n");
	got = b64(e54, 54, true);
	CHECK_STR(got,
	          "6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp\n");
	free(got);
	got = b64(e54, 53, false);
	CHECK_STR(got,
	          "6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6ek=\n");
	free(got);
	free(e54);
}

static void test_choice(void)
{
	CHECK(!mime8to7_wants_base64(16, 2));
	CHECK(mime8to7_wants_base64(15, 2));
	CHECK(!mime8to7_wants_base64(100, 0));
	CHECK(mime8to7_wants_base64(1, 1));
}

/* ---- decoding the output back ----------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Quoted-printable back to bytes; false on anything malformed. */
static bool qp_decode(const char *s, char *out, size_t *n)
{
	*n = 0;
	while (*s) {
		if (*s == '=' && s[1] == '\n') {
			s += 2;
		} else if (*s == '=') {
			int h = hexval(s[1]), l = h < 0 ? -1 : hexval(s[2]);
			if (h < 0 || l < 0)
				return false;
			out[(*n)++] = (char)(h << 4 | l);
			s += 3;
		} else {
			out[(*n)++] = *s++;
		}
	}
	return true;
}

static bool b64_decode(const char *s, char *out, size_t *n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v = 0;
	int bits = 0;
	*n = 0;
	for (; *s; s++) {
		const char *p;
		if (*s == '\n' || *s == '=')
			continue;
		if ((p = strchr(a, *s)) == NULL)
			return false;
		v = v << 6 | (uint32_t)(p - a);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[(*n)++] = (char)(v >> bits & 0xff);
		}
	}
	return true;
}

static bool seven_bit_short_lines(const char *s)
{
	size_t col = 0;
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80 || *s == '\0')
			return false;
		col = *s == '\n' ? 0 : col + 1;
		if (col > 76)
			return false;
	}
	return true;
}

static uint32_t rnd_state = 12345;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

static void test_round_trip(void)
{
	static const char alphabet[] = "ab =.\t\n\xe9\xff\x01";
	for (int round = 0; round < 2000; round++) {
		size_t n = rnd(300), dn = 0, crlf = 0;
		char in[300], dec[1000], canon[600];
		for (size_t i = 0; i < n; i++) {
			in[i] = alphabet[rnd(sizeof(alphabet) - 1)];
			if (in[i] == '\n')
				canon[crlf++] = '\r';
			canon[crlf++] = in[i];
		}
		char *q = qp(in, n, false), *b = b64(in, n, false);
		CHECK(seven_bit_short_lines(q));
		CHECK(seven_bit_short_lines(b));
		/* quoted-printable: the text, its last line end added */
		CHECK(qp_decode(q, dec, &dn));
		if (n > 0 && in[n - 1] != '\n')
			CHECK(dn == n + 1 && memcmp(dec, in, n) == 0 && dec[n] == '\n');
		else
			CHECK(dn == n && memcmp(dec, in, n) == 0);
		/* base64: the text with CRLF line ends */
		CHECK(b64_decode(b, dec, &dn));
		CHECK(dn == crlf && memcmp(dec, canon, crlf) == 0);
		free(q);
		free(b);
	}
}

/* ---- the walk ------------------------------------------------------------ */

static char *convert(const char *headers, const char *body)
{
	struct mime8to7 opt = {.host = "host.example", .qid = "QID"};
	char *buf = NULL;
	size_t len = 0;
	FILE *in = fmemopen((void *)body, strlen(body), "r");
	FILE *out = open_memstream(&buf, &len);
	CHECK_INT(mime8to7_convert(&opt, headers, strlen(headers), in, out), 0);
	fclose(in);
	fclose(out);
	return buf;
}

static void test_walk_plain(void)
{
	char *got = convert("Subject: x\r\nContent-Transfer-Encoding: 8bit\r\n", "caf\xe9 line\n");
	CHECK_STR(got,
	          "Subject: x\r\nMIME-Version: 1.0\n"
	          "Content-Type: text/plain; charset=unknown-8bit\n"
	          "Content-Transfer-Encoding: quoted-printable\n"
	          "X-MIME-Autoconverted: from 8bit to quoted-printable by host.example id QID\n"
	          "\ncaf=E9 line\n");
	free(got);
}

static void test_walk_multipart(void)
{
	char *got = convert("MIME-Version: 1.0\nContent-Type: multipart/mixed;\n boundary=\"b\"\n",
	                    "pre\xe9\n--b\nContent-Type: text/plain\n\nx\xe9\xe9\n--b\n\nascii\n"
	                    "--b--\nepi\n");
	CHECK_STR(got, "MIME-Version: 1.0\nContent-Type: multipart/mixed;\n boundary=\"b\"\n\n"
	               "pre"
	               "i\n--b\nContent-Type: text/plain\n"
	               "Content-Transfer-Encoding: base64\n"
	               "X-MIME-Autoconverted: from 8bit to base64 by host.example id QID\n"
	               "\neOnp\n--b\n\nascii\n--b--\nepi\n");
	free(got);
}

static void test_walk_encoded_part_kept(void)
{
	/* sendmail loses such a body; sdmail passes it on as it is */
	char *got = convert("MIME-Version: 1.0\nContent-Transfer-Encoding: quoted-printable\n",
	                    "x\xe9=3D\n");
	CHECK_STR(got,
	          "MIME-Version: 1.0\nContent-Transfer-Encoding: quoted-printable\n\nx\xe9=3D\n");
	free(got);
}

static void test_walk_depth_limit(void)
{
	/* nesting beyond MIME8TO7_MAX_DEPTH is copied, not followed */
	char headers[] = "Content-Type: multipart/mixed; boundary=b\n";
	char body[64 * (MIME8TO7_MAX_DEPTH + 5)] = "";
	for (int i = 0; i < MIME8TO7_MAX_DEPTH + 3; i++)
		strcat(body, "--b\nContent-Type: multipart/mixed; boundary=b\n\n");
	strcat(body, "x\n");
	char *got = convert(headers, body);
	CHECK(got != NULL && strstr(got, "x\n") != NULL);
	free(got);
}

static void test_strip(void)
{
	char *buf = NULL;
	size_t len = 0;
	const char *body = "caf\xc3\xa9\n";
	FILE *in = fmemopen((void *)body, strlen(body), "r");
	FILE *out = open_memstream(&buf, &len);
	CHECK_INT(mime8to7_strip("Subject: \xe9", 10, in, out), 0);
	fclose(in);
	fclose(out);
	CHECK_STR(buf, "Subject: i\n\ncafC)\n");
	free(buf);
}

static void test_strip_headers(void)
{
	struct mime8to7 opt = {"h", "Q", NULL, true};
	char *buf = NULL;
	size_t len = 0;
	const char *body = "--b\nX-Part: \xe9\n\nx\xe9\n--b--\n";
	const char *hdr = "Subject: \xe9\nContent-Type: multipart/mixed; boundary=b\n";
	FILE *in = fmemopen((void *)body, strlen(body), "r");
	FILE *out = open_memstream(&buf, &len);
	CHECK_INT(mime8to7_convert(&opt, hdr, strlen(hdr), in, out), 0);
	fclose(in);
	fclose(out);
	CHECK_STR(buf, "Subject: i\nContent-Type: multipart/mixed; boundary=b\n\n--b\nX-Part: i\n"
	               "Content-Transfer-Encoding: base64\n"
	               "X-MIME-Autoconverted: from 8bit to base64 by h id Q\n\neOk=\n--b--\n");
	free(buf);
}

int main(void)
{
	static const struct test_case tests[] = {
	    {"qp_encoding", test_qp_encoding},
	    {"qp_soft_breaks", test_qp_soft_breaks},
	    {"base64_encoding", test_base64_encoding},
	    {"choice", test_choice},
	    {"round_trip", test_round_trip},
	    {"walk_plain", test_walk_plain},
	    {"walk_multipart", test_walk_multipart},
	    {"walk_encoded_part_kept", test_walk_encoded_part_kept},
	    {"walk_depth_limit", test_walk_depth_limit},
	    {"strip", test_strip},
	    {"strip_headers", test_strip_headers},
	};
	return RUN_TESTS(tests);
}
