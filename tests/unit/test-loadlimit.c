/* Unit tests for lib/queue/loadlimit: sendmail's QueueLA rule at its
 * edges (the integration case mx/load-average shows it against the
 * oracle at a few loads). */
#include "harness.h"
#include "queue/loadlimit.h"

static void test_below_queue_la(void)
{
	/* under QueueLA nothing waits, whatever its priority */
	CHECK(!load_queues(15, 16, 600000, 1000000000));
	CHECK(!load_queues(0, 8, 0, 1));
}

static void test_priority_against_factor(void)
{
	/* at LA 99 and QueueLA 8: QueueFactor / 92 = 6521 */
	CHECK(load_queues(99, 8, 600000, 6522));
	CHECK(!load_queues(99, 8, 600000, 6521));
	/* at QueueLA itself the whole QueueFactor counts */
	CHECK(!load_queues(16, 16, 600000, 600000));
	CHECK(load_queues(16, 16, 600000, 600001));
	/* QueueFactor 1: any message waits once the limit is reached */
	CHECK(load_queues(16, 16, 1, 30000));
}

static void test_zero_queue_la(void)
{
	/* sendmail has no "off" for QueueLA: 0 compares like any limit */
	CHECK(!load_queues(0, 0, 600000, 600000));
	CHECK(load_queues(0, 0, 600000, 600001));
}

static void test_load_average_read(void)
{
	int la = load_average();
	CHECK(la >= 0);
}

static const struct test_case tests[] = {
	{"below_queue_la", test_below_queue_la},
	{"priority_against_factor", test_priority_against_factor},
	{"zero_queue_la", test_zero_queue_la},
	{"load_average_read", test_load_average_read},
};

int main(void)
{
	return RUN_TESTS(tests);
}
