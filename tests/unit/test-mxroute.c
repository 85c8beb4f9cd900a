/*
 * Unit tests for lib/deliver/mxroute: the order of MX hosts in a name
 * server's answer (built here byte by byte, as RFC 1035 lays it out), this
 * host and worse dropped, the loop error, answers that are not answers,
 * and sendmail's words for hosts that cannot be reached.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "cf/class.h"
#include "deliver/mxroute.h"
#include "harness.h"

struct answer {
	unsigned char b[1024];
	int len;
	int ancount_at;
};

static void put16(struct answer *a, unsigned v)
{
	a->b[a->len++] = (unsigned char)(v >> 8);
	a->b[a->len++] = (unsigned char)v;
}

static void put_name(struct answer *a, const char *name)
{
	while (*name) {
		size_t n = strcspn(name, ".");
		a->b[a->len++] = (unsigned char)n;
		memcpy(a->b + a->len, name, n);
		a->len += (int)n;
		name += n + (name[n] == '.');
	}
	a->b[a->len++] = 0;
}

/* A response header and the question "example.test IN MX". */
static void begin(struct answer *a)
{
	memset(a, 0, sizeof(*a));
	put16(a, 0x1234);
	put16(a, 0x8180);
	put16(a, 1);
	a->ancount_at = a->len;
	put16(a, 0);
	put16(a, 0);
	put16(a, 0);
	put_name(a, "example.test");
	put16(a, 15);
	put16(a, 1);
}

/* One MX record, its owner a pointer to the question's name. */
static void add_mx(struct answer *a, unsigned pref, const char *host)
{
	int rdlen_at;

	put16(a, 0xC00C);
	put16(a, 15);
	put16(a, 1);
	put16(a, 0);
	put16(a, 300);
	rdlen_at = a->len;
	put16(a, 0);
	put16(a, pref);
	put_name(a, host);
	a->b[rdlen_at] = (unsigned char)((a->len - rdlen_at - 2) >> 8);
	a->b[rdlen_at + 1] = (unsigned char)(a->len - rdlen_at - 2);
	a->b[a->ancount_at + 1]++;
}

static struct cf *new_cf(void)
{
	struct cf *cf = cf_new(stdout);

	cf->dns_disabled = true;
	class_add(cf->classes, 'w', "oracle.example.org");
	return cf;
}

static void test_preference_order(void)
{
	struct cf *cf = new_cf();
	struct answer a;
	struct mx_route r;

	begin(&a);
	add_mx(&a, 30, "far.example.test");
	add_mx(&a, 5, "near.example.test");
	add_mx(&a, 10, "mid.example.test");
	CHECK_INT(mxroute_parse_answer(cf, a.b, a.len, true, &r), 3);
	CHECK_STR(r.hosts[0], "near.example.test.");
	CHECK_STR(r.hosts[1], "mid.example.test.");
	CHECK_STR(r.hosts[2], "far.example.test.");
	mxroute_free(&r);
	cf_free(cf);
}

/* Equal preferences: every host once, in one order within a process. */
static void test_equal_preferences(void)
{
	struct cf *cf = new_cf();
	struct answer a;
	struct mx_route r1, r2;

	begin(&a);
	add_mx(&a, 10, "e1.example.test");
	add_mx(&a, 10, "e2.example.test");
	add_mx(&a, 10, "e3.example.test");
	add_mx(&a, 20, "last.example.test");
	CHECK_INT(mxroute_parse_answer(cf, a.b, a.len, true, &r1), 4);
	CHECK_INT(mxroute_parse_answer(cf, a.b, a.len, true, &r2), 4);
	for (int i = 0; i < 4; i++)
		CHECK_STR(r1.hosts[i], r2.hosts[i]);
	CHECK_STR(r1.hosts[3], "last.example.test.");
	CHECK(strcmp(r1.hosts[0], r1.hosts[1]) != 0 && strcmp(r1.hosts[1], r1.hosts[2]) != 0 &&
	      strcmp(r1.hosts[0], r1.hosts[2]) != 0);
	mxroute_free(&r1);
	mxroute_free(&r2);
	cf_free(cf);
}

/* This host and every MX not better than it are dropped. */
static void test_drop_local(void)
{
	struct cf *cf = new_cf();
	struct answer a;
	struct mx_route r;

	begin(&a);
	add_mx(&a, 10, "better.example.test");
	add_mx(&a, 20, "Oracle.Example.Org");
	add_mx(&a, 20, "same.example.test");
	add_mx(&a, 30, "worse.example.test");
	CHECK_INT(mxroute_parse_answer(cf, a.b, a.len, true, &r), 1);
	CHECK_STR(r.hosts[0], "better.example.test.");
	mxroute_free(&r);
	/* -bt's /mx keeps it */
	CHECK_INT(mxroute_parse_answer(cf, a.b, a.len, false, &r), 4);
	mxroute_free(&r);
	/* this host the best: nothing left, the mail would loop */
	begin(&a);
	add_mx(&a, 10, "oracle.example.org");
	add_mx(&a, 20, "worse.example.test");
	CHECK_INT(mxroute_parse_answer(cf, a.b, a.len, true, &r), -1);
	CHECK_INT(r.n, 0);
	mxroute_free(&r);
	cf_free(cf);
}

static void test_not_answers(void)
{
	struct cf *cf = new_cf();
	struct answer a;
	struct mx_route r;

	begin(&a);
	CHECK_INT(mxroute_parse_answer(cf, a.b, a.len, true, &r), 0);
	mxroute_free(&r);
	add_mx(&a, 10, "mx.example.test");
	CHECK_INT(mxroute_parse_answer(cf, a.b, 11, true, &r), -1);
	mxroute_free(&r);
	/* a record cut short: what came before it stands */
	CHECK(mxroute_parse_answer(cf, a.b, a.len - 3, true, &r) <= 0);
	mxroute_free(&r);
	cf_free(cf);
}

static void test_connect_errors(void)
{
	char text[256];
	const char *dsn;
	int status;

	mxroute_connect_error(-ECONNREFUSED, "mx2.example.", text, sizeof(text), &status, &dsn);
	CHECK_STR(text, "Connection refused by mx2.example.");
	CHECK_INT(status, EX_TEMPFAIL);
	CHECK_STR(dsn, "4.4.1");
	mxroute_connect_error(-ENOENT, "nowhere.test.", text, sizeof(text), &status, &dsn);
	CHECK_STR(text, "Host unknown (Name server: nowhere.test.: host not found)");
	CHECK_INT(status, EX_NOHOST);
	CHECK_STR(dsn, "5.1.2");
	mxroute_connect_error(-ENODATA, "txt.test", text, sizeof(text), &status, &dsn);
	CHECK_STR(text, "Host unknown (Name server: txt.test: no data known)");
	mxroute_connect_error(-EAGAIN, "b.test.", text, sizeof(text), &status, &dsn);
	CHECK_STR(text, "Name server: b.test.: host name lookup failure");
	CHECK_INT(status, EX_TEMPFAIL);
	CHECK_STR(dsn, "4.4.3");
}

/* A bracketed host is not looked up for MX; an address literal stays as it is. */
static void test_brackets(void)
{
	struct cf *cf = new_cf();
	struct mx_route r;

	CHECK_INT(mxroute_for_mailer(cf, "[192.0.2.1]", true, &r), 1);
	CHECK_STR(r.hosts[0], "[192.0.2.1]");
	mxroute_free(&r);
	CHECK_INT(mxroute_for_mailer(cf, "[IPv6:2001:db8::1]:[192.0.2.2]", true, &r), 2);
	CHECK_STR(r.hosts[0], "[IPv6:2001:db8::1]");
	CHECK_STR(r.hosts[1], "[192.0.2.2]");
	mxroute_free(&r);
	CHECK_INT(mxroute_for_mailer(cf, "a.test:b.test", false, &r), 2);
	CHECK_STR(r.hosts[1], "b.test");
	mxroute_free(&r);
	cf_free(cf);
}

static const struct test_case tests[] = {
    {"preference_order", test_preference_order},
    {"equal_preferences", test_equal_preferences},
    {"drop_local", test_drop_local},
    {"not_answers", test_not_answers},
    {"connect_errors", test_connect_errors},
    {"brackets", test_brackets},
};

int main(void)
{
	return RUN_TESTS(tests);
}
