/* Unit tests for lib/util/strbuf. */
#include <stdlib.h>

#include "harness.h"
#include "util/strbuf.h"

static void test_append(void)
{
	struct strbuf sb = STRBUF_INIT;
	CHECK_STR(sb_str(&sb), "");
	sb_puts(&sb, "abc");
	sb_putc(&sb, '-');
	sb_printf(&sb, "%d/%s", 42, "x");
	CHECK_STR(sb_str(&sb), "abc-42/x");
	CHECK_INT(sb.len, 8);
	sb_reset(&sb);
	CHECK_STR(sb_str(&sb), "");
	sb_free(&sb);
}

static void test_growth(void)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 10000; i++)
		sb_putc(&sb, (char)('a' + i % 26));
	CHECK_INT(sb.len, 10000);
	CHECK(sb.s[9999] == (char)('a' + 9999 % 26));
	char *s = sb_detach(&sb);
	CHECK(sb.s == NULL);
	free(s);
}

static const struct test_case tests[] = {
	{"append", test_append},
	{"growth", test_growth},
};

int main(void)
{
	return RUN_TESTS(tests);
}
