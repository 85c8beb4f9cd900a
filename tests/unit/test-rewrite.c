/* Unit tests for lib/rules/rewrite: matching, substitution, calls, limits. */
#include <stdlib.h>

#include "harness.h"
#include "cf-fixture.h"
#include "cf/cf.h"
#include "cf/readcf.h"
#include "rules/rewrite.h"
#include "rules/token.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "cf/meta.h"
#include <sysexits.h>


/* Run `input` through ruleset `rs`; returns the joined tokens, status in *st. */
static char *run(struct cf *cf, const char *rs, const char *input, int *st)
{
	struct pool pool = POOL_INIT;
	struct rw_ctx ctx = {cf, &cf->macros, &pool, false};
	char *vec[MAXATOM + 1];
	struct strbuf sb = STRBUF_INIT;
	tok_scan(cf, input, 0, TOK_TEST, vec, &pool, NULL);
	*st = rw_rewrite(&ctx, vec, cf_ruleset_find(cf, rs), 0);
	for (char **v = vec; *v; v++) {
		if (v != vec)
			sb_putc(&sb, ' ');
		meta_xputs(cf, &sb, *v);
	}
	pool_release(&pool);
	return sb_detach(&sb);
}

static void check(struct cf *cf, const char *rs, const char *in, const char *want, int want_st)
{
	int st;
	char *got = run(cf, rs, in, &st);
	CHECK_STR(got, want);
	CHECK_INT(st, want_st);
	free(got);
}

static void test_wildcards(void)
{
	struct cf *cf = fixture_load("V10/Berkeley\n"
			     "CXfoo.bar baz\n"
			     "Sa\n"
			     "R$* @ $+\t$@ <$1> <$2>\n"
			     "Sb\n"
			     "R$- . $-\t$@ one $1 two $2\n"
			     "Sc\n"
			     "R$* $=X $*\t$@ in $2\n"
			     "R$~X\t$@ notin $1\n"
			     "Sd\n"
			     "R$@\t$@ empty\n");
	check(cf, "a", "x @ y . z", "< x > < y . z >", 0);
	/* $* matches as little as possible: the first @ splits */
	check(cf, "a", "a @ b @ c", "< a > < b @ c >", 0);
	check(cf, "b", "p . q", "one p two q", 0);
	/* a class may hold multi-token words; matching is case-insensitive */
	check(cf, "c", "x FOO . BAR y", "in FOO . BAR", 0);
	check(cf, "c", "qux", "notin qux", 0);
	check(cf, "d", "", "empty", 0);
	fixture_unload(cf);
}

static void test_prefixes_and_calls(void)
{
	struct cf *cf = fixture_load("V10/Berkeley\n"
			     "Sa\n"
			     "R$*\t$: a $1\n"
			     "R$*\t$: b $1\n"
			     "Sb\n"
			     "R$*\t$@ $>c $>d $1\n"
			     "Sc\n"
			     "R$*\t$@ c $1\n"
			     "Sd\n"
			     "R$*\t$@ d $1\n"
			     "Se\n"
			     "R$*\t$# mailer $: $1\n"
			     "R$*\t$: never\n");
	/* $: applies a rule once and goes on */
	check(cf, "a", "x", "b a x", 0);
	/* calls run right-most first */
	check(cf, "b", "x", "c d x", 0);
	/* $# ends the ruleset */
	check(cf, "e", "x", "$# mailer $: x", 0);
	fixture_unload(cf);
}

static void test_limits(void)
{
	struct cf *cf = fixture_load("V10/Berkeley\n"
			     "Sloop\n"
			     "R$*\t$1\n"
			     "Srec\n"
			     "R$*\t$: $>rec $1\n"
			     "Sbad\n"
			     "R$*\t$: $>nosuch $1\n");
	/* 100 applications of one rule, then sendmail's message, result kept */
	check(cf, "loop", "x", "x", 0);
	check(cf, "rec", "x", "x", EX_CONFIG);
	check(cf, "bad", "x", "$> nosuch x", EX_CONFIG);
	fixture_unload(cf);
}

static void test_maps(void)
{
	struct cf *cf = fixture_load("V10/Berkeley\n"
			     "Karith arith\n"
			     "Kdq dequote\n"
			     "Sa\n"
			     "R$*\t$@ $(arith + $@ 2 $@ 3 $) $(dq \"x\" $) $(nosuch k $: dflt $)\n");
	check(cf, "a", "", "5 x dflt", 0);
	fixture_unload(cf);
}

static const struct test_case tests[] = {
	{"wildcards", test_wildcards},
	{"prefixes and calls", test_prefixes_and_calls},
	{"limits", test_limits},
	{"maps", test_maps},
};

int main(void)
{
	return RUN_TESTS(tests);
}
