/*
 * tlsa: the DNS half of DANE for the SMTP client (RFC 7672): the TLSA
 * records of _PORT._tcp.HOST and whether a validating resolver vouched for
 * them and for HOST's address (the AD bit, which glibc passes on only with
 * RES_TRUSTAD: ResolverOptions=+TrustAD or "options trust-ad" in
 * resolv.conf), and whether an answer as a whole was secure (mxroute asks
 * about its MX answer).  Parses the answers itself (the fuzzer's entry) and
 * keeps only what DANE for SMTP uses: usages DANE-TA(2) and DANE-EE(3),
 * selectors 0 (certificate) and 1 (SubjectPublicKeyInfo), matching types
 * 0 (full), 1 (SHA-256) and 2 (SHA-512).  The verification itself is
 * tls_dane_verify's (lib/tls).
 */
#ifndef SDMAIL_DNS_TLSA_H
#define SDMAIL_DNS_TLSA_H

#include <stdbool.h>
#include <stddef.h>

enum tlsa_status {
	TLSA_INSECURE, /* an answer without the AD bit: no DANE for this host */
	TLSA_NONE,     /* secure, but no usable record: no DANE */
	TLSA_FOUND,    /* secure usable records */
	TLSA_TEMP,     /* the resolver failed (SERVFAIL: bogus, or no answer) */
};

struct tlsa_rr {
	unsigned char *rdata; /* the whole RDATA: usage, selector, type, data */
	size_t len;
};

struct tlsa_set {
	struct tlsa_rr *rr;
	int n;
};

/*
 * The TLSA records of _PORT._tcp.HOST (HOST with or without its trailing
 * dot) when HOST's A answer and the TLSA answer are both secure.
 * `trust_ad` asks glibc to keep the AD bit even when resolv.conf does not.
 */
enum tlsa_status tlsa_lookup(bool trust_ad, const char *host, int port, struct tlsa_set *out);

/*
 * The usable TLSA records of one DNS answer (`len` bytes as the name
 * server sent it) into `out` (empty before): their number, or -1 and `out`
 * empty for something that is not a DNS message.  *secure gets the AD
 * bit.  The fuzzer's entry.
 */
int tlsa_parse_answer(const unsigned char *ans, int len, struct tlsa_set *out, bool *secure);

/* The AD bit of an answer (false for less than a DNS header). */
bool tlsa_answer_secure(const unsigned char *ans, int len);

/* res_ninit's options with RES_TRUSTAD added when `trust_ad`. */
struct __res_state;
int tlsa_res_init(struct __res_state *rs, bool trust_ad);

void tlsa_set_free(struct tlsa_set *s);

#endif
