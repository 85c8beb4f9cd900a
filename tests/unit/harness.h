/*
 * harness: the minimal unit-test framework of sdmail's tests/unit.  Each
 * test program defines test functions, lists them in a TESTS table and
 * calls run_tests(); failures print file:line and the failed expression,
 * and the exit status is what `meson test` reads (0 pass, 1 fail).
 */
#ifndef SDMAIL_TESTS_HARNESS_H
#define SDMAIL_TESTS_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_failures;

#define CHECK(expr)                                                               \
	do {                                                                      \
		if (!(expr)) {                                                    \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
				#expr);                                           \
			harness_failures++;                                       \
		}                                                                 \
	} while (0)

#define CHECK_STR(got, want)                                                      \
	do {                                                                      \
		const char *g_ = (got), *w_ = (want);                             \
		if (g_ == NULL || strcmp(g_, w_) != 0) {                          \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, \
				__LINE__, g_ ? g_ : "(null)", w_);                 \
			harness_failures++;                                       \
		}                                                                 \
	} while (0)

#define CHECK_INT(got, want)                                                      \
	do {                                                                      \
		long long g_ = (got), w_ = (want);                                \
		if (g_ != w_) {                                                   \
			fprintf(stderr, "%s:%d: got %lld, want %lld\n", __FILE__,  \
				__LINE__, g_, w_);                                \
			harness_failures++;                                       \
		}                                                                 \
	} while (0)

struct test_case {
	const char *name;
	void (*fn)(void);
};

static inline int run_tests(const struct test_case *tests, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int before = harness_failures;
		tests[i].fn();
		fprintf(stderr, "%s %s\n", harness_failures == before ? "ok  " : "FAIL",
			tests[i].name);
	}
	return harness_failures == 0 ? 0 : 1;
}

#define RUN_TESTS(table) run_tests(table, sizeof(table) / sizeof(table[0]))

#endif
