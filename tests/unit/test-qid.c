/* Unit tests for lib/queue/qid: sendmail 8.17's queue IDs. */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "queue/qid.h"

static struct tm tm_of(int year, int mon, int mday, int hour, int min, int sec)
{
	struct tm tm = {0};
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = mday;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	return tm;
}

static void test_format_example(void)
{
	/* sendmail 8.17.1 made 6AM2GXII000023 at 2026-11-22 02:16:33 in pid 23 */
	struct tm tm = tm_of(2026, 11, 22, 2, 16, 33);
	char id[QID_LEN + 1];

	qid_format(id, &tm, 18 * 60 + 18, 23);
	CHECK_STR(id, "6AM2GXII000023");
	CHECK(qid_valid(id));
}

static void test_format_digits(void)
{
	struct tm tm = tm_of(2059, 12, 31, 23, 59, 59);
	char id[QID_LEN + 1];

	/* 159 % 60 = 39 'd'; month 11 'B'; 31 'V'; 23 'N'; 59 'x' */
	qid_format(id, &tm, QID_SEQ_MAX - 1, 1234567);
	CHECK_STR(id, "dBVNxxxx234567");
	tm = tm_of(2020, 1, 1, 0, 0, 0); /* 120 % 60 = 0 */
	qid_format(id, &tm, 0, 0);
	CHECK_STR(id, "00100000000000");
	CHECK_INT(strlen(id), QID_LEN);
}

static void test_next_sequence(void)
{
	struct qid_state st;
	char a[QID_LEN + 1], b[QID_LEN + 1], c[QID_LEN + 1];
	time_t t = 1795313793; /* 2026-11-22 02:16:33 UTC */

	setenv("TZ", "UTC", 1);
	tzset();
	qid_init(&st, 3 * QID_SEQ_MAX + 3598); /* seed is reduced mod 3600 */
	qid_next(&st, t, 42, a);
	qid_next(&st, t, 42, b);
	qid_next(&st, t, 42, c);
	CHECK_STR(a, "6AM2GXxw000042");
	CHECK_STR(b, "6AM2GXxx000042");
	CHECK_STR(c, "6AM2GX00000042"); /* wraps after 3599 */
	CHECK_INT(st.seq, 1);
}

static void test_valid(void)
{
	CHECK(qid_valid("6AM2GXII000023"));
	CHECK(!qid_valid("6AM2GXII00002"));
	CHECK(!qid_valid("6AM2GXII0000234"));
	CHECK(!qid_valid("6AM2GXyI000023")); /* y is not a base-60 digit */
	CHECK(!qid_valid("6AM2GXII00002a"));
	CHECK(!qid_valid(""));
	CHECK_INT(qid_digit_value('0'), 0);
	CHECK_INT(qid_digit_value('A'), 10);
	CHECK_INT(qid_digit_value('a'), 36);
	CHECK_INT(qid_digit_value('x'), 59);
	CHECK_INT(qid_digit_value('y'), -1);
	CHECK_INT(qid_digit_value('\0'), -1);
}

static const struct test_case tests[] = {
	{"format_example", test_format_example},
	{"format_digits", test_format_digits},
	{"next_sequence", test_next_sequence},
	{"valid", test_valid},
};

int main(void)
{
	return RUN_TESTS(tests);
}
