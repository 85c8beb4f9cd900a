/*
 * Unit tests for lib/dns/tlsa: which TLSA records of a name server's answer
 * (built here byte by byte, as RFC 1035 and RFC 6698 lay them out) DANE for
 * SMTP keeps, the AD bit, and answers that are not answers.
 */
#include <string.h>

#include "dns/tlsa.h"
#include "harness.h"

struct answer {
	unsigned char b[2048];
	int len;
};

static void put16(struct answer *a, unsigned v)
{
	a->b[a->len++] = (unsigned char)(v >> 8);
	a->b[a->len++] = (unsigned char)v;
}

/* A response header (AD bit as asked) and "_25._tcp.mx.test IN TLSA". */
static void begin(struct answer *a, bool ad)
{
	static const unsigned char qname[] = "\3_25\4_tcp\2mx\4test";

	memset(a, 0, sizeof(*a));
	put16(a, 0x1234);
	put16(a, ad ? 0x81a0 : 0x8180);
	put16(a, 1);
	put16(a, 0);
	put16(a, 0);
	put16(a, 0);
	memcpy(a->b + a->len, qname, sizeof(qname));
	a->len += (int)sizeof(qname);
	put16(a, 52);
	put16(a, 1);
}

/* One record of `type` whose RDATA is usage, selector, mtype and n bytes. */
static void add_rr(struct answer *a, unsigned type, int usage, int sel, int mtype, int n)
{
	put16(a, 0xC00C);
	put16(a, type);
	put16(a, 1);
	put16(a, 0);
	put16(a, 300);
	put16(a, (unsigned)(3 + n));
	a->b[a->len++] = (unsigned char)usage;
	a->b[a->len++] = (unsigned char)sel;
	a->b[a->len++] = (unsigned char)mtype;
	memset(a->b + a->len, 0xab, (size_t)n);
	a->len += n;
	a->b[7]++; /* ANCOUNT */
}

static void test_usable_records(void)
{
	struct answer a;
	struct tlsa_set s = {NULL, 0};
	bool secure = false;

	begin(&a, true);
	add_rr(&a, 52, 3, 1, 1, 32);  /* DANE-EE SPKI SHA-256 */
	add_rr(&a, 52, 2, 0, 2, 64);  /* DANE-TA cert SHA-512 */
	add_rr(&a, 52, 3, 0, 0, 300); /* DANE-EE full certificate */
	add_rr(&a, 52, 0, 0, 1, 32);  /* PKIX-TA: not for SMTP */
	add_rr(&a, 52, 1, 1, 1, 32);  /* PKIX-EE: not for SMTP */
	add_rr(&a, 52, 3, 2, 1, 32);  /* unknown selector */
	add_rr(&a, 52, 3, 1, 3, 32);  /* unknown matching type */
	add_rr(&a, 52, 3, 1, 1, 31);  /* SHA-256 of the wrong length */
	add_rr(&a, 52, 3, 1, 2, 32);  /* SHA-512 of the wrong length */
	add_rr(&a, 16, 3, 1, 1, 32);  /* a TXT record */
	CHECK_INT(tlsa_parse_answer(a.b, a.len, &s, &secure), 3);
	CHECK(secure);
	CHECK_INT(s.n, 3);
	CHECK_INT(s.rr[0].len, 35);
	CHECK_INT(s.rr[0].rdata[0], 3);
	CHECK_INT(s.rr[1].rdata[0], 2);
	CHECK_INT(s.rr[1].len, 67);
	CHECK_INT(s.rr[2].len, 303);
	CHECK(tlsa_answer_secure(a.b, a.len));
	tlsa_set_free(&s);
	CHECK_INT(s.n, 0);
}

static void test_ad_bit(void)
{
	struct answer a;
	struct tlsa_set s = {NULL, 0};
	bool secure = true;

	begin(&a, false);
	add_rr(&a, 52, 3, 1, 1, 32);
	CHECK_INT(tlsa_parse_answer(a.b, a.len, &s, &secure), 1);
	CHECK(!secure);
	CHECK(!tlsa_answer_secure(a.b, a.len));
	tlsa_set_free(&s);
}

static void test_not_answers(void)
{
	struct answer a;
	struct tlsa_set s = {NULL, 0};
	bool secure = true;

	CHECK_INT(tlsa_parse_answer((const unsigned char *)"short", 5, &s, &secure), -1);
	CHECK(!secure);
	CHECK(!tlsa_answer_secure((const unsigned char *)"short", 5));
	/* a record cut short: nothing kept, not even the records before it */
	begin(&a, true);
	add_rr(&a, 52, 3, 1, 1, 32);
	add_rr(&a, 52, 3, 1, 1, 32);
	CHECK_INT(tlsa_parse_answer(a.b, a.len - 10, &s, &secure), -1);
	CHECK_INT(s.n, 0);
	CHECK(s.rr == NULL);
	/* more records announced than sent */
	begin(&a, true);
	add_rr(&a, 52, 3, 1, 1, 32);
	a.b[7] = 5;
	CHECK_INT(tlsa_parse_answer(a.b, a.len, &s, &secure), -1);
	CHECK_INT(s.n, 0);
}

static void test_lookup_refuses_literals(void)
{
	struct tlsa_set s = {NULL, 0};

	CHECK_INT(tlsa_lookup(true, "[192.0.2.1]", 25, &s), TLSA_INSECURE);
	CHECK_INT(tlsa_lookup(true, "", 25, &s), TLSA_INSECURE);
	CHECK_INT(s.n, 0);
}

static const struct test_case tests[] = {
    {"usable_records", test_usable_records},
    {"ad_bit", test_ad_bit},
    {"not_answers", test_not_answers},
    {"lookup_refuses_literals", test_lookup_refuses_literals},
};

int main(void)
{
	return RUN_TESTS(tests);
}
