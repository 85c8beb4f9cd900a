/*
 * fuzz-mx-answer: arbitrary bytes as a name server's answer to an MX
 * query, given to the MX routing of the SMTP mailers (deliver/mxroute).
 * Name servers are untrusted: whatever they send, the route holds at
 * most MXROUTE_MAX hosts, each a name ending in the root's dot, none of
 * them this host's (class w) when local names are dropped, and nothing
 * leaks or reads outside the answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cf/cf.h"
#include "cf/class.h"
#include "deliver/mxroute.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cf *cf;

static void setup(void)
{
	cf = cf_new(fopen("/dev/null", "w"));
	cf->dns_disabled = true;
	class_add(cf->classes, 'w', "oracle.example.org");
	class_add(cf->classes, 'w', "localhost");
}

static void check(const struct mx_route *r, int n, bool droplocal)
{
	if (n < -1 || n > MXROUTE_MAX || (n >= 0 && n != r->n))
		abort();
	for (int i = 0; i < r->n; i++) {
		size_t len = strlen(r->hosts[i]);
		if (len == 0 || r->hosts[i][len - 1] != '.')
			abort();
		if (droplocal && strcmp(r->hosts[i], "oracle.example.org.") == 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_route r;
	int n;

	if (cf == NULL)
		setup();
	if (size > 65535)
		return 0;
	for (int drop = 0; drop < 2; drop++) {
		n = mxroute_parse_answer(cf, data, (int)size, drop, &r);
		check(&r, n, drop);
		mxroute_free(&r);
	}
	return 0;
}
