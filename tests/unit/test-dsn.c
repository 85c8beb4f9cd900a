/* Unit tests for lib/msg/dsn: intervals and who a DSN reports. */
#include <string.h>

#include "harness.h"
#include "msg/dsn.h"
#include "msg/envelope.h"

static void test_interval(void)
{
	char buf[96];

	dsn_interval(1, buf, sizeof(buf));
	CHECK_STR(buf, "1 second");
	dsn_interval(0, buf, sizeof(buf));
	CHECK_STR(buf, "0 seconds");
	dsn_interval(4 * 3600, buf, sizeof(buf));
	CHECK_STR(buf, "4 hours");
	dsn_interval(5 * 86400, buf, sizeof(buf));
	CHECK_STR(buf, "5 days");
	dsn_interval(86400 + 2 * 3600 + 60 + 4, buf, sizeof(buf));
	CHECK_STR(buf, "1 day, 2 hours, 1 minute, 4 seconds");
}

static struct env_rcpt *rcpt(struct envelope *e, const char *addr, const char *flags,
                             enum rcpt_outcome o)
{
	struct env_rcpt *r = envelope_add_rcpt(e, addr, flags);
	r->result.outcome = o;
	return r;
}

static void test_reports(void)
{
	struct envelope e;
	struct env_rcpt *plain, *never, *success, *delay, *relayed, *sent;

	envelope_init(&e);
	/* no NOTIFY: failures and delays are reported */
	plain = rcpt(&e, "a", "P", RCPT_FAILED);
	never = rcpt(&e, "b", "PN", RCPT_FAILED);
	success = rcpt(&e, "c", "PNS", RCPT_FAILED);
	delay = rcpt(&e, "d", "PND", RCPT_DEFERRED);
	relayed = rcpt(&e, "e", "PNS", RCPT_RELAYED);
	sent = rcpt(&e, "f", "PNS", RCPT_SENT);
	CHECK(dsn_reports(plain, DSN_FAILURE));
	CHECK(!dsn_reports(never, DSN_FAILURE));
	CHECK(!dsn_reports(success, DSN_FAILURE));
	/* the postmaster hears of every failure, NOTIFY or not */
	CHECK(dsn_reports(never, DSN_POSTMASTER));
	CHECK(dsn_reports(delay, DSN_DELAY));
	plain->result.outcome = RCPT_DEFERRED;
	CHECK(dsn_reports(plain, DSN_DELAY));
	never->result.outcome = RCPT_DEFERRED;
	CHECK(!dsn_reports(never, DSN_DELAY));
	CHECK(dsn_reports(relayed, DSN_SUCCESS));
	CHECK(!dsn_reports(sent, DSN_SUCCESS));
	CHECK_INT(dsn_count(&e, DSN_FAILURE), 0);
	CHECK_INT(dsn_count(&e, DSN_DELAY), 2);
	CHECK_INT(dsn_count(&e, DSN_SUCCESS), 1);
	envelope_free(&e);
}

static void test_flags(void)
{
	struct envelope e;

	envelope_init(&e);
	envelope_add_flag(&e, 's');
	envelope_add_flag(&e, 'w');
	envelope_add_flag(&e, 'r');
	envelope_add_flag(&e, 's');
	/* sendmail's order of F letters: "Fwrs" */
	CHECK_STR(e.flags, "wrs");
	CHECK(envelope_has_flag(&e, 'w'));
	CHECK(!envelope_has_flag(&e, 'n'));
	envelope_free(&e);
}

static const struct test_case tests[] = {
    {"interval", test_interval},
    {"reports", test_reports},
    {"flags", test_flags},
};

int main(void)
{
	return RUN_TESTS(tests);
}
