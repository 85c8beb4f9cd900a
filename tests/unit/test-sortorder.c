/* Unit tests for lib/queue/sortorder: what the mailq goldens cannot show
 * (ties, random, none keep whatever the directory order was). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "queue/sortorder.h"

static void item(struct queue_sort_item *it, size_t order, long pri, time_t t, const char *host)
{
	memset(it, 0, sizeof(*it));
	snprintf(it->item.name, sizeof(it->item.name), "qf%zu", 9 - order);
	it->order = order;
	it->item.priority = pri;
	it->item.ctime = t;
	it->mtime = 100 - t;
	snprintf(it->host, sizeof(it->host), "%s", host);
}

static void fill(struct queue_sort_item *v)
{
	item(&v[0], 0, 300, 5, "b");
	item(&v[1], 1, 100, 5, "a");
	item(&v[2], 2, 300, 1, "a");
	item(&v[3], 3, 100, 9, "b");
}

static void check_order(const struct queue_sort_item *v, const char *want)
{
	char got[8] = "";
	for (int i = 0; i < 4; i++)
		got[i] = (char)('0' + v[i].order);
	CHECK_STR(got, want);
}

static void test_orders(void)
{
	struct queue_sort_item v[4];
	static const struct {
		char order;
		const char *want;
	} cases[] = {
		{'p', "1302"}, /* priority, ties in directory order */
		{'h', "1230"}, /* host, then priority */
		{'t', "2013"}, /* time, ties in directory order */
		{'f', "3210"}, /* name */
		{'m', "3012"}, /* mtime, oldest first; ties in directory order */
		{'n', "0123"}, /* as the directory lists them */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fill(v);
		sortorder_sort(v, 4, cases[i].order);
		check_order(v, cases[i].want);
	}
}

static void test_random_is_a_permutation(void)
{
	struct queue_sort_item v[4];
	int seen_other = 0;

	for (int round = 0; round < 50; round++) {
		int mask = 0;
		fill(v);
		sortorder_sort(v, 4, 'r');
		for (int i = 0; i < 4; i++)
			mask |= 1 << v[i].order;
		CHECK_INT(mask, 15);
		seen_other |= v[0].order != 0;
	}
	CHECK(seen_other);
}

static void test_option_and_peek(void)
{
	char path[] = "/tmp/test-sortorder.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct queue_sort_item it;

	CHECK_INT(sortorder_from_option('h'), 'h');
	CHECK_INT(sortorder_from_option(0), 'p');
	fputs("V8\nT1700000000\nP12345\nRPFD:<u@Sub.Example.ORG>\nRPFD:<v@other>\n.\n", f);
	fclose(f);
	sortorder_peek(path, &it, 'h');
	CHECK_INT(it.item.priority, 12345);
	CHECK_INT(it.item.ctime, 1700000000);
	CHECK_STR(it.host, "gro.elpmaxe.bus");
	/* filename order: sendmail does not read the qf, the priority is 0 */
	sortorder_peek(path, &it, 'f');
	CHECK_INT(it.item.priority, 0);
	unlink(path);
}

static const struct test_case tests[] = {
	{"orders", test_orders},
	{"random_is_a_permutation", test_random_is_a_permutation},
	{"option_and_peek", test_option_and_peek},
};

int main(void)
{
	return RUN_TESTS(tests);
}
