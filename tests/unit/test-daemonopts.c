/* Unit tests for lib/cf/daemonopts: the per-daemon keys, recognised by
 * their first letter with its case as sendmail 8.17.1 does (refuseLA= is
 * not ReceiveBufferSize=, delayLA= is not DeliveryMode=). */
#include <stdio.h>

#include "harness.h"
#include "cf/cf.h"
#include "cf/daemonopts.h"

static bool parse(const char *spec, struct daemon_port *d)
{
	struct cf *cf = cf_new(stderr);
	bool ok = daemonopts_parse(cf, spec, 0, d);

	cf_free(cf);
	return ok;
}

static void test_load_limits(void)
{
	struct daemon_port d;

	CHECK(parse("Name=MTA, Port=2525, Addr=127.0.0.1, queueLA=4, refuseLA=5, delayLA=3", &d));
	CHECK(d.queue_la == 4);
	CHECK(d.refuse_la == 5);
	CHECK(d.delay_la == 3);
	CHECK(d.recv_buf == 0);
	CHECK(d.delivery_mode == 0);
	daemonopts_free(&d);
}

static void test_capitals_are_other_keys(void)
{
	struct daemon_port d;

	CHECK(parse("Name=MTA, RefuseLA=5, DelayLA=b", &d));
	CHECK(d.refuse_la == 0);
	CHECK(d.recv_buf == 5);
	CHECK(d.delay_la == 0);
	CHECK(d.delivery_mode == 'b');
	daemonopts_free(&d);
}

static void test_unset_is_global(void)
{
	struct daemon_port d;

	CHECK(parse("Name=MSA, Port=587, M=E", &d));
	CHECK(d.queue_la == 0 && d.refuse_la == 0 && d.delay_la == 0);
	daemonopts_free(&d);
}

static const struct test_case tests[] = {
	{"load_limits", test_load_limits},
	{"capitals_are_other_keys", test_capitals_are_other_keys},
	{"unset_is_global", test_unset_is_global},
};

int main(void)
{
	return RUN_TESTS(tests);
}
