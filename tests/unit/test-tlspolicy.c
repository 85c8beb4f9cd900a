/* Unit tests for lib/deliver/tlspolicy: try_tls and tls_server answers. */
#include <sysexits.h>

#include "harness.h"
#include "cf-fixture.h"
#include "cf/macro.h"
#include "deliver/tlspolicy.h"
#include "rules/rewrite.h"
#include "util/pool.h"
#include "util/strbuf.h"

/* The shape of Debian's rulesets, keyed on the macros instead of a map. */
static const char policy_cf[] =
    "V10/Berkeley\n"
    "Stry_tls\n"
    "R$*\t\t$: <$&{server_name}> <$&{server_addr}>\n"
    "R<no.example> $*\t$#error $@ 5.7.1 $: \"550 do not try TLS with \" $&{server_name}\n"
    "R$*\t\t$@ OK\n"
    "Stls_server\n"
    "RNONE\t\t$#error $@ 4.7.0 $: \"454 encryption too weak 0 less than 128\"\n"
    "RFAIL\t\t$#error $@ 5.7.0 $: \"503 authentication failed\"\n"
    "RTEMP\t\t$#error $@ 4.3.0 $: \"451 Temporary system failure. Please try again later.\"\n"
    "RPROTOCOL\t$#error $@ 4.7.0 $: \"STARTTLS failed\"\n"
    "R$*\t\t$@ OK\n";

struct fixture {
	struct cf *cf;
	struct pool pool;
	struct rw_ctx ctx;
	struct tlspolicy_params p;
};

static void setup(struct fixture *f, const char *host)
{
	f->cf = fixture_load(policy_cf);
	f->pool = (struct pool)POOL_INIT;
	f->ctx = (struct rw_ctx){f->cf, &f->cf->macros, &f->pool, false, NULL};
	f->p = (struct tlspolicy_params){.ctx = &f->ctx, .addr = "192.0.2.1", .rcpts = "u@x"};
	tlspolicy_define_server(&f->p, host);
}

static void teardown(struct fixture *f)
{
	pool_release(&f->pool);
	fixture_unload(f->cf);
}

static void test_server_macros(void)
{
	struct fixture f;

	setup(&f, "mx.example.");
	CHECK_STR(f.p.host, "mx.example");
	CHECK_STR(macro_get(&f.cf->macros, macro_id(f.cf, "server_name", false)), "mx.example");
	CHECK_STR(macro_get(&f.cf->macros, macro_id(f.cf, "server_addr", false)), "192.0.2.1");
	teardown(&f);
	setup(&f, "[192.0.2.1]");
	CHECK_STR(f.p.host, "[192.0.2.1]");
	teardown(&f);
}

static void test_try_tls(void)
{
	struct fixture f;

	setup(&f, "mx.example.");
	CHECK(tlspolicy_try_tls(&f.p));
	CHECK_INT(f.cf->exit_status, 0);
	teardown(&f);
	setup(&f, "no.example.");
	CHECK(!tlspolicy_try_tls(&f.p));
	/* sendmail's exit status after the ruleset's 5.7.1 error */
	CHECK_INT(f.cf->exit_status, EX_DATAERR);
	teardown(&f);
}

static void check_server(const char *verify, int want, const char *want_reply, const char *want_dsn,
                         int want_status)
{
	struct strbuf reply = STRBUF_INIT;
	struct fixture f;
	char dsn[16] = "";

	setup(&f, "mx.example.");
	CHECK_INT(tlspolicy_tls_server(&f.p, verify, &reply, dsn), want);
	CHECK_STR(sb_str(&reply), want_reply);
	CHECK_STR(dsn, want_dsn);
	if (want_status >= 0)
		CHECK_INT(f.cf->exit_status, want_status);
	sb_free(&reply);
	teardown(&f);
}

static void test_tls_server(void)
{
	check_server("OK", 0, "", "", 0);
	/* a 4xx refusal is the recipients' deferral, not the command's error */
	check_server("NONE", 4, "454 4.7.0 encryption too weak 0 less than 128", "4.7.0", 0);
	check_server("TEMP", 4, "451 4.3.0 Temporary system failure. Please try again later.",
	             "4.3.0", 0);
	check_server("FAIL", 5, "503 5.7.0 authentication failed", "5.7.0", EX_DATAERR);
	/* a text without a reply code gets the error mailer's (lib/rules:
	 * 553 5.3.0 whatever $@ says, naming the recipients) */
	check_server("PROTOCOL", 5, "553 5.3.0 u@x... STARTTLS failed", "5.3.0", -1);
}

static const struct test_case tests[] = {
    {"server macros", test_server_macros},
    {"try_tls", test_try_tls},
    {"tls_server", test_tls_server},
};

int main(void)
{
	return RUN_TESTS(tests);
}
