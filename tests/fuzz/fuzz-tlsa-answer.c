/*
 * fuzz-tlsa-answer: arbitrary bytes as a name server's answer to a TLSA
 * query, given to DANE's parser (dns/tlsa).  Name servers are untrusted:
 * whatever they send, the set holds only records DANE for SMTP can use
 * (usage 2 or 3, selector 0 or 1, matching type 0, 1 with 32 bytes or 2
 * with 64), the count returned is the set's, a non-message gives -1, and
 * nothing leaks or reads outside the answer.
 */
#include <stdint.h>
#include <stdlib.h>

#include "dns/tlsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct tlsa_set *s, int n)
{
	if (n < -1 || (n >= 0 && n != s->n))
		abort();
	for (int i = 0; i < s->n; i++) {
		const unsigned char *rd = s->rr[i].rdata;
		size_t len = s->rr[i].len;
		if (len < 4 || (rd[0] != 2 && rd[0] != 3) || rd[1] > 1 || rd[2] > 2)
			abort();
		if ((rd[2] == 1 && len != 35) || (rd[2] == 2 && len != 67))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlsa_set s = {NULL, 0};
	bool secure;
	int n;

	if (size > 65535)
		return 0;
	n = tlsa_parse_answer(data, (int)size, &s, &secure);
	if (n < 0 && s.n != 0)
		abort();
	if (n >= 0)
		check(&s, n);
	if (secure != tlsa_answer_secure(data, (int)size))
		abort();
	tlsa_set_free(&s);
	return 0;
}
