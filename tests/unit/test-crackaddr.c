/* Unit tests for lib/msg/crackaddr (expected values from sendmail 8.17.1). */
#include <stdlib.h>

#include "harness.h"
#include "cf/cf.h"
#include "cf/meta.h"
#include "msg/crackaddr.h"
#include "util/strbuf.h"

static void check(struct cf *cf, const char *in, const char *want)
{
	char *c = crackaddr(cf, in);
	struct strbuf sb = STRBUF_INIT;
	meta_xputs(cf, &sb, c);
	CHECK_STR(sb_str(&sb), want);
	sb_free(&sb);
	free(c);
}

static void test_forms(void)
{
	FILE *out = fopen("/dev/null", "w");
	struct cf *cf = cf_new(out);
	check(cf, "a@b", "$g");
	check(cf, "Full Name <user@host>", "Full Name <$g>");
	check(cf, "user@host (Full Name)", "$g (Full Name)");
	check(cf, "a (c1) b (c2) c", "$g (c1) (c2)");
	check(cf, "<>", "<>");
	check(cf, "Joe Q. Public <a@b>", "\"Joe Q. Public\" <$g>");
	check(cf, "Smith, John <a@b>", "\"Smith, John\" <$g>");
	check(cf, "group: a@b, c@d;", "group: $g;");
	check(cf, "x <a@b", "x <$g>");
	check(cf, "a@b (unbalanced", "$g (unbalanced)");
	check(cf, "user@[IPv6:::1]", "$g");
	check(cf, "(only comment)", "(only comment)");
	cf_free(cf);
	fclose(out);
}

static const struct test_case tests[] = {
	{"address forms", test_forms},
};

int main(void)
{
	return RUN_TESTS(tests);
}
