/*
 * Unit tests for submit/privs: what a privileged run keeps of its
 * caller's environment, and who is trusted.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "privs.h"

extern char **environ;

static int count_environment(void)
{
	int n = 0;
	for (char **e = environ; e && *e; e++)
		n++;
	return n;
}

static void test_clean_environment(void)
{
	setenv("HOSTALIASES", "/etc/shadow", 1);
	setenv("LOCALDOMAIN", "evil.example", 1);
	setenv("RES_OPTIONS", "debug", 1);
	setenv("PATH", "/tmp", 1);
	setenv("IFS", "x", 1);
	setenv("TZ", "Europe/Berlin", 1);
	privs_clean_environment();
	CHECK_STR(getenv("PATH"), "/usr/sbin:/usr/bin:/sbin:/bin");
	CHECK_STR(getenv("TZ"), "Europe/Berlin");
	CHECK(getenv("HOSTALIASES") == NULL);
	CHECK(getenv("LOCALDOMAIN") == NULL);
	CHECK(getenv("RES_OPTIONS") == NULL);
	CHECK(getenv("IFS") == NULL);
	CHECK_INT(count_environment(), 2);
}

static void test_long_tz_dropped(void)
{
	char tz[400];
	memset(tz, 'x', sizeof(tz) - 1);
	tz[sizeof(tz) - 1] = '\0';
	setenv("TZ", tz, 1);
	privs_clean_environment();
	CHECK(getenv("TZ") == NULL);
	CHECK_INT(count_environment(), 1);
}

static void test_drop_without_setgid(void)
{
	struct privs p;
	privs_init(&p);
	CHECK(!p.setgid || getegid() != getgid());
	CHECK_INT(privs_drop(&p), 0);
	CHECK_INT(getegid(), getgid());
	CHECK_INT(privs_drop(&p), 0); /* idempotent */
}

static const struct test_case tests[] = {
	{"clean_environment", test_clean_environment},
	{"long_tz_dropped", test_long_tz_dropped},
	{"drop_without_setgid", test_drop_without_setgid},
};

int main(void)
{
	return RUN_TESTS(tests);
}
