/* Unit tests for lib/maps: tdb maps written by makemap, text, dequote, macro. */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "harness.h"
#include "cf-fixture.h"
#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/readcf.h"
#include "maps/map.h"
#include "util/pool.h"

static char dir[] = "/tmp/sdmail-test-maps.XXXXXX";


static char *lookup(struct cf *cf, const char *map, const char *key, int *status,
		    struct pool *pool)
{
	struct map *m = map_find(cf, map);
	char *k = pool_strdup(pool, key);
	char *args[2] = {k, NULL};
	*status = 0;
	if (m == NULL)
		return NULL;
	return map_lookup(cf, &cf->macros, m, k, args, status, pool);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void test_hash_map(void)
{
	char cmd[512], cfbuf[512];
	struct pool pool = POOL_INIT;
	int st;

	snprintf(cmd, sizeof(cmd), "%s/access", dir);
	write_file(cmd, "Connect:127\tRELAY\nSpam:Abuse@\tFRIEND\nuser@\t%1 rewritten\n");
	snprintf(cmd, sizeof(cmd), "%s hash %s/access < %s/access", MAKEMAP, dir, dir);
	CHECK_INT(system(cmd), 0);
	snprintf(cfbuf, sizeof(cfbuf), "V10/Berkeley\nKaccess hash -T<TMPF> %s/access\n", dir);
	struct cf *cf = fixture_load(cfbuf);
	CHECK_STR(lookup(cf, "access", "connect:127", &st, &pool), "RELAY");
	/* keys are folded to lower case by makemap and by the lookup */
	CHECK_STR(lookup(cf, "access", "SPAM:abuse@", &st, &pool), "FRIEND");
	CHECK(lookup(cf, "access", "nosuch", &st, &pool) == NULL);
	CHECK_INT(st, 0);
	fixture_unload(cf);
	pool_release(&pool);
}

static void test_missing_map(void)
{
	struct pool pool = POOL_INIT;
	int st;
	struct cf *cf = fixture_load("V10/Berkeley\nKm hash /nonexistent/map\nKo hash -o /nonexistent/o\n");
	CHECK(lookup(cf, "m", "x", &st, &pool) == NULL);
	CHECK_INT(st, EX_TEMPFAIL);
	CHECK(lookup(cf, "o", "x", &st, &pool) == NULL);
	CHECK_INT(st, 0);
	fixture_unload(cf);
	pool_release(&pool);
}

static void test_text_and_misc(void)
{
	char path[256], cfbuf[512];
	struct pool pool = POOL_INIT;
	int st;
	snprintf(path, sizeof(path), "%s/text", dir);
	write_file(path, "# comment\nalice:x:1000:Alice\nbob:y:1001:Bob\n");
	snprintf(cfbuf, sizeof(cfbuf),
		 "V10/Berkeley\nKt text -z: -k0 -v3 %s\nKd dequote\nKm macro\nKa arith\n", path);
	struct cf *cf = fixture_load(cfbuf);
	CHECK_STR(lookup(cf, "t", "BOB", &st, &pool), "Bob");
	CHECK_STR(lookup(cf, "d", "\"x\"", &st, &pool), "x");
	CHECK(lookup(cf, "d", "plain", &st, &pool) == NULL);
	{
		struct map *m = map_find(cf, "m");
		char *k = pool_strdup(&pool, "{TLS_Name}");
		char *args[3] = {k, "mx.example", NULL};
		map_lookup(cf, &cf->macros, m, k, args, &st, &pool);
		CHECK_STR(macro_get(&cf->macros, macro_id_find(cf, "TLS_Name")), "mx.example");
	}
	{
		struct map *m = map_find(cf, "a");
		char *k = pool_strdup(&pool, "l");
		char *args[4] = {k, "1", "2", NULL};
		CHECK_STR(map_lookup(cf, &cf->macros, m, k, args, &st, &pool), "TRUE");
	}
	fixture_unload(cf);
	pool_release(&pool);
}

static const struct test_case tests[] = {
	{"hash map", test_hash_map},
	{"missing map", test_missing_map},
	{"text and misc", test_text_and_misc},
};

int main(void)
{
	int rc;
	char cmd[300];
	if (mkdtemp(dir) == NULL)
		return 1;
	rc = RUN_TESTS(tests);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
