/* Unit tests for lib/smtp/data: the DATA transparency encoding. */
#include <stdlib.h>

#include "harness.h"
#include "smtp/data.h"
#include "util/strbuf.h"

/* Encode `in` (n bytes) in one piece, with the final dot. */
static char *encode(const char *in, size_t n)
{
	struct data_enc e;
	struct strbuf out = STRBUF_INIT;

	data_enc_init(&e);
	data_enc_put(&e, in, n, &out);
	data_enc_finish(&e, &out);
	sb_puts(&out, "");
	return sb_detach(&out);
}

static void check_encode(const char *in, const char *want)
{
	char *got = encode(in, strlen(in));
	CHECK_STR(got, want);
	free(got);
}

static void test_line_ends(void)
{
	check_encode("a\nb\n", "a\r\nb\r\n.\r\n");
	check_encode("a\r\nb\r\n", "a\r\nb\r\n.\r\n");
	check_encode("a\r\nb\nc\r\n", "a\r\nb\r\nc\r\n.\r\n");
	check_encode("\n\n", "\r\n\r\n.\r\n");
	check_encode("", ".\r\n");
}

static void test_no_final_newline(void)
{
	check_encode("a\nlast", "a\r\nlast\r\n.\r\n");
	check_encode("only", "only\r\n.\r\n");
	check_encode("a\n.", "a\r\n..\r\n.\r\n");
	check_encode("a\r", "a\r\n.\r\n");
}

static void test_dot_stuffing(void)
{
	check_encode(".\n", "..\r\n.\r\n");
	check_encode("..\n", "...\r\n.\r\n");
	check_encode(".a\nb.\n.\n", "..a\r\nb.\r\n..\r\n.\r\n");
	check_encode("x\n.\r\n.\n", "x\r\n..\r\n..\r\n.\r\n");
	check_encode("a . b\n", "a . b\r\n.\r\n");
	/* the end-of-data sequence inside a message cannot end it early */
	check_encode("a\r\n.\r\nb\n", "a\r\n..\r\nb\r\n.\r\n");
}

static void test_bare_cr(void)
{
	/* a CR alone ends a line: never sent bare (RFC 5321 2.3.8) */
	check_encode("a\rb\n", "a\r\nb\r\n.\r\n");
	check_encode("a\r.b\n", "a\r\n..b\r\n.\r\n");
	check_encode("a\r\r\nb", "a\r\n\r\nb\r\n.\r\n");
	check_encode("\r", "\r\n.\r\n");
	/* smuggling attempts with bare LF/CR around a dot */
	check_encode("a\n.\nb", "a\r\n..\r\nb\r\n.\r\n");
	check_encode("a\r.\rb", "a\r\n..\r\nb\r\n.\r\n");
	check_encode("a\n.\r\nMAIL FROM:<x>\n", "a\r\n..\r\nMAIL FROM:<x>\r\n.\r\n");
}

static void test_eight_bit_and_nul(void)
{
	static const char in[] = "\xe9t\xc3\xa9\n\0x\n";
	char *got = encode(in, sizeof(in) - 1);
	static const char want[] = "\xe9t\xc3\xa9\r\n\0x\r\n.\r\n";
	CHECK(memcmp(got, want, sizeof(want) - 1) == 0);
	free(got);
}

static void test_end_line(void)
{
	struct data_enc e;
	struct strbuf out = STRBUF_INIT;

	data_enc_init(&e);
	data_enc_end_line(&e, &out); /* nothing open */
	CHECK_STR(sb_str(&out), "");
	data_enc_put(&e, "Subject: x", 10, &out);
	data_enc_end_line(&e, &out);
	data_enc_end_line(&e, &out);
	CHECK_STR(sb_str(&out), "Subject: x\r\n");
	data_enc_put(&e, "To: y\r", 6, &out); /* CR pending at the end of a chunk */
	data_enc_end_line(&e, &out);
	data_enc_put(&e, "\n", 1, &out); /* the header/body separator */
	data_enc_put(&e, ".body", 5, &out);
	data_enc_finish(&e, &out);
	CHECK_STR(sb_str(&out), "Subject: x\r\nTo: y\r\n\r\n..body\r\n.\r\n");
	sb_free(&out);
}

/* Every split of the input into two chunks gives the one-piece result. */
/* Encode with a line limit, fed a byte at a time or whole. */
static void check_limited(size_t limit, const char *in, const char *want)
{
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		struct data_enc e;
		struct strbuf out = STRBUF_INIT;

		data_enc_init(&e);
		data_enc_set_limit(&e, limit);
		if (bytewise)
			for (const char *p = in; *p; p++)
				data_enc_put(&e, p, 1, &out);
		else
			data_enc_put(&e, in, strlen(in), &out);
		data_enc_finish(&e, &out);
		sb_puts(&out, "");
		CHECK_STR(out.s, want);
		sb_free(&out);
	}
}

/* what sendmail 8.17.1 sent for L=990, scaled down to L=5 */
static void test_line_limit(void)
{
	check_limited(5, "abcde\n", "abcde\r\n.\r\n");
	check_limited(5, "abcdef\n", "abcd!\r\n ef\r\n.\r\n");
	check_limited(5, "abcdefghijk\r\nx", "abcd!\r\n efg!\r\n hijk\r\nx\r\n.\r\n");
	check_limited(5, "abcdefghijkl\n", "abcd!\r\n efg!\r\n hij!\r\n kl\r\n.\r\n");
	check_limited(5, "abcd\n.bcdefgh\n", "abcd\r\n..bcd!\r\n efgh\r\n.\r\n");
	check_limited(5, "abcdefgh", "abcd!\r\n efgh\r\n.\r\n");
	check_limited(0, "abcdefgh\n", "abcdefgh\r\n.\r\n");
}

static void test_chunk_boundaries(void)
{
	static const char in[] = ".a\r\n.\rb\r\r\n\n..c\rd.\r";
	size_t n = sizeof(in) - 1;
	char *whole = encode(in, n);

	for (size_t cut = 0; cut <= n; cut++) {
		struct data_enc e;
		struct strbuf out = STRBUF_INIT;
		data_enc_init(&e);
		data_enc_put(&e, in, cut, &out);
		data_enc_put(&e, in + cut, n - cut, &out);
		data_enc_finish(&e, &out);
		CHECK_STR(sb_str(&out), whole);
		sb_free(&out);
	}
	free(whole);
}

/* An independent decoder: what a server stores (lines joined with LF). */
static void decode(const char *p, size_t n, struct strbuf *out, int *bad)
{
	size_t i = 0;

	while (i < n) {
		const char *crlf = NULL;
		for (size_t j = i; j + 1 < n; j++)
			if (p[j] == '\r' && p[j + 1] == '\n') {
				crlf = p + j;
				break;
			}
		if (crlf == NULL) {
			(*bad)++;
			return;
		}
		size_t len = (size_t)(crlf - (p + i));
		if (len == 1 && p[i] == '.') {
			if (crlf + 2 != p + n)
				(*bad)++; /* data after the end */
			return;
		}
		if (memchr(p + i, '\r', len) || memchr(p + i, '\n', len))
			(*bad)++; /* a bare CR or LF on the wire */
		if (p[i] == '.')
			i++, len--;
		sb_put(out, p + i, len);
		sb_putc(out, '\n');
		i += len + 2;
	}
	(*bad)++; /* no end of data */
}

static void normalize(const char *p, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
			continue;
		sb_putc(out, p[i] == '\r' ? '\n' : p[i]);
	}
	if (out->len > 0 && out->s[out->len - 1] != '\n')
		sb_putc(out, '\n');
}

/* Random messages made of the interesting bytes, in random chunks. */
static void test_round_trip(void)
{
	static const char alphabet[] = ".\r\n a\xff";
	unsigned seed = 2821;

	for (int iter = 0; iter < 2000; iter++) {
		char in[64];
		size_t n = (size_t)(rand_r(&seed) % sizeof(in));
		struct strbuf wire = STRBUF_INIT, got = STRBUF_INIT, want = STRBUF_INIT;
		struct data_enc e;
		int bad = 0;

		for (size_t i = 0; i < n; i++)
			in[i] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		data_enc_init(&e);
		for (size_t i = 0; i < n;) {
			size_t k = 1 + (size_t)(rand_r(&seed) % 7);
			if (k > n - i)
				k = n - i;
			data_enc_put(&e, in + i, k, &wire);
			i += k;
		}
		data_enc_finish(&e, &wire);
		decode(wire.s, wire.len, &got, &bad);
		normalize(in, n, &want);
		CHECK_INT(bad, 0);
		CHECK(got.len == want.len && memcmp(sb_str(&got), sb_str(&want), got.len) == 0);
		sb_free(&wire);
		sb_free(&got);
		sb_free(&want);
	}
}

static const struct test_case tests[] = {
	{"line_limit", test_line_limit},
	{"line_ends", test_line_ends},
	{"no_final_newline", test_no_final_newline},
	{"dot_stuffing", test_dot_stuffing},
	{"bare_cr", test_bare_cr},
	{"eight_bit_and_nul", test_eight_bit_and_nul},
	{"end_line", test_end_line},
	{"chunk_boundaries", test_chunk_boundaries},
	{"round_trip", test_round_trip},
};

int main(void)
{
	return RUN_TESTS(tests);
}
