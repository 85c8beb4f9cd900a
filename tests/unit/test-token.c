/* Unit tests for lib/rules/token: sendmail's tokenizer. */
#include <stdlib.h>

#include "harness.h"
#include "cf/cf.h"
#include "cf/readcf.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/strbuf.h"

static struct cf *new_cf(const char *opchars)
{
	struct cf *cf = cf_new(fopen("/dev/null", "w"));
	if (opchars != NULL) {
		char line[128];
		snprintf(line, sizeof(line), "O OperatorChars=%s", opchars);
		cf_read_line(cf, line);
	}
	return cf;
}

static void free_cf(struct cf *cf)
{
	FILE *out = cf->out;
	cf_free(cf);
	fclose(out);
}

/* tokens joined with '|' for easy comparison */
static char *scan(struct cf *cf, const char *s, enum tok_mode mode, int *n)
{
	struct pool pool = POOL_INIT;
	char *vec[MAXATOM + 1];
	struct strbuf sb = STRBUF_INIT;
	*n = tok_scan(cf, s, ',', mode, vec, &pool, NULL);
	for (int i = 0; i < *n; i++) {
		if (i)
			sb_putc(&sb, '|');
		sb_puts(&sb, vec[i]);
	}
	pool_release(&pool);
	return sb_detach(&sb);
}

static void check_scan(struct cf *cf, const char *in, enum tok_mode mode, const char *want)
{
	int n;
	char *got = scan(cf, in, mode, &n);
	CHECK_STR(got, want);
	free(got);
}

static void test_default_operators(void)
{
	struct cf *cf = new_cf(NULL);
	/* without OperatorChars only .:@[] and <>,;() are operators */
	check_scan(cf, "a!b%c@d.e", TOK_TEST, "a!b%c|@|d|.|e");
	free_cf(cf);
}

static void test_debian_operators(void)
{
	struct cf *cf = new_cf(".:%@!^/[]+");
	check_scan(cf, "a!b%c@d.e", TOK_TEST, "a|!|b|%|c|@|d|.|e");
	check_scan(cf, "user+detail@host", TOK_TEST, "user|+|detail|@|host");
	free_cf(cf);
}

static void test_quotes_and_escapes(void)
{
	struct cf *cf = new_cf(NULL);
	check_scan(cf, "\"a b\"@c", TOK_TEST, "\"a b\"|@|c");
	check_scan(cf, "a\"b\"c", TOK_TEST, "a|\"b\"|c");
	check_scan(cf, "a\\@b", TOK_TEST, "a\\@b");
	check_scan(cf, "\"unterminated", TOK_TEST, "\"unterminated\"");
	check_scan(cf, "\"a\\", TOK_TEST, "\"a\\\"\"");
	free_cf(cf);
}

static void test_angles_and_comments(void)
{
	struct cf *cf = new_cf(NULL);
	check_scan(cf, "<a", TOK_TEST, "<|a|>");
	check_scan(cf, "a>", TOK_TEST, "a");
	check_scan(cf, "a (comment) b", TOK_TEST, "a|(|comment|)|b");
	check_scan(cf, "a (comment) b", TOK_ADDR, "a|b");
	/* a comma ends an address, except inside a <@route,...> */
	check_scan(cf, "a,b", TOK_TEST, "a");
	check_scan(cf, "<@a,@b:c@d>", TOK_TEST, "<|@|a|,|@|b|:|c|@|d|>");
	free_cf(cf);
}

static void test_limits(void)
{
	struct cf *cf = new_cf(NULL);
	char big[300];
	int n;
	char *got;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	got = scan(cf, big, TOK_TEST, &n);
	CHECK_INT(n, -1); /* "Address ... too long (255 bytes max)" */
	free(got);
	big[255] = '\0';
	got = scan(cf, big, TOK_TEST, &n);
	CHECK_INT(n, 1);
	free(got);
	/* bytes sendmail uses internally are refused in addresses */
	got = scan(cf, "x\x85y", TOK_TEST, &n);
	CHECK_INT(n, -1);
	free(got);
	free_cf(cf);
}

static void test_join(void)
{
	struct cf *cf = new_cf(".:%@!^/[]+");
	struct pool pool = POOL_INIT;
	char *vec[MAXATOM + 1];
	struct strbuf sb = STRBUF_INIT;
	tok_scan(cf, "a b @ c . d", 0, TOK_TEST, vec, &pool, NULL);
	tok_join(cf, vec, NULL, &sb, '\0');
	CHECK_STR(sb_str(&sb), "ab@c.d");
	sb_reset(&sb);
	tok_join(cf, vec, NULL, &sb, '.');
	CHECK_STR(sb_str(&sb), "a.b@c.d");
	sb_free(&sb);
	pool_release(&pool);
	free_cf(cf);
}

static const struct test_case tests[] = {
	{"default operators", test_default_operators},
	{"Debian operators", test_debian_operators},
	{"quotes and escapes", test_quotes_and_escapes},
	{"angles and comments", test_angles_and_comments},
	{"limits", test_limits},
	{"join", test_join},
};

int main(void)
{
	return RUN_TESTS(tests);
}
