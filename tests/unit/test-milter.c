/*
 * test-milter: the parts of lib/milter that need no filter process — X
 * line sockets, flags and timeouts as conn reads them; the replies the
 * SMTP layer gets for each verdict (sendmail 8.17.1's texts, recorded by
 * tests/integration/milter/capture-oracle.sh); modifications applied to
 * an envelope and a df; macros looked up in a configuration's
 * environment; and the reply parser's checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cf-fixture.h"
#include "cf/milter.h"
#include "harness.h"
#include "milter/conn.h"
#include "milter/milter.h"
#include "milter/modify.h"
#include "milter/proto.h"
#include "msg/envelope.h"
#include "util/strbuf.h"

static void test_filter_defs(void)
{
	struct cf *cf = fixture_load("V10/Berkeley\n"
				     "Xa, S=inet:8891@[127.0.0.1], F=T, T=C:1m;S:2s;R:3s;E:4m\n"
				     "Xb, S=local:/run/b.sock\n"
				     "Xc, S=inet6:smtp@::1, F=R\n");
	struct milter_filter f;
	const struct milter_def *d = cf->milters;

	CHECK(d != NULL);
	milter_filter_from_def(cf, d, &f);
	CHECK_INT(f.family, AF_INET);
	CHECK_INT(f.port, 8891);
	CHECK_STR(f.host, "127.0.0.1");
	CHECK_INT(f.fail, MILTER_FAIL_TEMPFAIL);
	CHECK_INT(f.timeout_ms[MILTER_TO_CONNECT], 60000);
	CHECK_INT(f.timeout_ms[MILTER_TO_SEND], 2000);
	CHECK_INT(f.timeout_ms[MILTER_TO_READ], 3000);
	CHECK_INT(f.timeout_ms[MILTER_TO_EOM], 240000);
	milter_filter_free(&f);
	milter_filter_from_def(cf, d->next, &f);
	CHECK_INT(f.family, AF_UNIX);
	CHECK_STR(f.path, "/run/b.sock");
	CHECK_INT(f.fail, MILTER_FAIL_PASS);
	CHECK_INT(f.timeout_ms[MILTER_TO_READ], 10000); /* sendmail's defaults */
	CHECK_INT(f.timeout_ms[MILTER_TO_CONNECT], 300000);
	milter_filter_free(&f);
	milter_filter_from_def(cf, d->next->next, &f);
	CHECK_INT(f.family, AF_INET6);
	CHECK_INT(f.port, 25);
	CHECK_INT(f.fail, MILTER_FAIL_REJECT);
	milter_filter_free(&f);
	fixture_unload(cf);
}

static void check_reply(enum milter_verdict v, const char *own, enum milter_stage stage,
			const char *addr, const char *want)
{
	struct milter_result r = {.verdict = v, .reply = own ? strdup(own) : NULL};
	struct strbuf out = STRBUF_INIT;

	milter_smtp_reply(NULL, &r, stage, addr, &out);
	CHECK_STR(sb_str(&out), want);
	sb_free(&out);
	milter_result_clear(&r);
}

static void test_replies(void)
{
	check_reply(MILTER_REJECT, NULL, MILTER_STAGE_MAIL, "<a@b>",
		    "550 5.7.1 <a@b>... Command rejected");
	check_reply(MILTER_REJECT, NULL, MILTER_STAGE_RCPT, "<c@d>",
		    "550 5.7.1 <c@d>... Command rejected");
	check_reply(MILTER_TEMPFAIL, NULL, MILTER_STAGE_RCPT, "<c@d>",
		    "451 4.3.2 Please try again later");
	check_reply(MILTER_REJECT, NULL, MILTER_STAGE_EOM, NULL, "554 5.7.1 Command rejected");
	check_reply(MILTER_REJECT, NULL, MILTER_STAGE_CONNECT, NULL, "550 5.0.0 Command rejected");
	check_reply(MILTER_REJECT, "553-5.1.3 One\r\n553 5.1.3 Two", MILTER_STAGE_RCPT, "<c@d>",
		    "553-5.1.3 <c@d>... One\r\n553 5.1.3 Two");
	check_reply(MILTER_REJECT, "550 No", MILTER_STAGE_MAIL, "<a@b>", "550 <a@b>... No");
	check_reply(MILTER_TEMPFAIL, "450 4.2.0 Later", MILTER_STAGE_EOM, NULL,
		    "450 4.2.0 Later");
	check_reply(MILTER_SHUTDOWN, NULL, MILTER_STAGE_HELO, NULL,
		    "421 4.7.0 localhost closing connection");
	check_reply(MILTER_DISCARD, NULL, MILTER_STAGE_EOM, NULL, "");
	check_reply(MILTER_CONTINUE, NULL, MILTER_STAGE_RCPT, "<c@d>", "");
}

static int file_with(const char *text)
{
	FILE *f = tmpfile();
	int fd = dup(fileno(f));

	fputs(text, f);
	fclose(f);
	return fd;
}

static void test_apply(void)
{
	struct envelope e;
	struct milter_mods m;
	char buf[64] = "";
	int df = file_with("old body\n");
	/* an insert lands after the index-th header, past the end last, as
	 * in sendmail 8.17.1 */
	const char *want[] = {"Received", "From", "X-I", "X-R", "Subject", "X-A", "X-New", "X-L"};
	const char *values[] = {" by us", " a@b", " ins", " 2", " new", " add", " v", " last"};
	size_t i = 0;

	envelope_init(&e);
	envelope_set(&e.sender, "<s@x>");
	envelope_add_rcpt(&e, "<keep@x>", "PFD");
	envelope_add_rcpt(&e, "<OLD@x>", "PFD");
	envelope_add_header(&e, "Received", " by us", NULL);
	envelope_add_header(&e, "From", " a@b", NULL);
	envelope_add_header(&e, "X-R", " 1", NULL);
	envelope_add_header(&e, "X-R", " 2", NULL);
	envelope_add_header(&e, "Subject", " old", NULL);
	milter_mods_init(&m);
	/* the second delete of X-R 1 meets the deleted one, as in sendmail */
	milter_mods_add(&m, MOD_CHG_HEADER, 1, "X-R", "", "f");
	milter_mods_add(&m, MOD_CHG_HEADER, 1, "x-r", "", "f");
	milter_mods_add(&m, MOD_INS_HEADER, 1, "X-I", "ins", "f");
	milter_mods_add(&m, MOD_ADD_HEADER, 0, "X-A", "add", "f");
	milter_mods_add(&m, MOD_CHG_HEADER, 1, "Subject", "new", "f");
	milter_mods_add(&m, MOD_CHG_HEADER, 1, "X-New", "v", "f");
	milter_mods_add(&m, MOD_INS_HEADER, 99, "X-L", "last", "f");
	milter_mods_add(&m, MOD_ADD_RCPT, 0, "<n@x>", "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;o@x",
			"f");
	milter_mods_add(&m, MOD_DEL_RCPT, 0, "old@X", NULL, "f");
	milter_mods_add(&m, MOD_CHG_FROM, 0, "f@x", NULL, "f");
	milter_mods_add(&m, MOD_QUARANTINE, 0, "held", NULL, "f");
	m.body_fd = file_with("new\n");
	/* one header of sendmail's own in front: CHGHEADER does not count it */
	CHECK_INT(milter_apply(&m, &e, 1, df), 0);
	for (const struct env_header *h = e.headers; h; h = h->next, i++) {
		CHECK(i < 8);
		if (i < 8) {
			CHECK_STR(h->name, want[i]);
			CHECK_STR(h->value, values[i]);
		}
	}
	CHECK_INT(i, 8);
	CHECK_STR(e.sender, "<f@x>");
	CHECK_STR(e.quarantine, "held");
	CHECK_STR(e.rcpts->addr, "<keep@x>");
	CHECK(e.rcpts->next != NULL && e.rcpts->next->next == NULL);
	if (e.rcpts->next != NULL) {
		CHECK_STR(e.rcpts->next->addr, "<n@x>");
		CHECK_STR(e.rcpts->next->flags, "PSF");
		CHECK_STR(e.rcpts->next->orcpt, "rfc822;o@x");
		CHECK_STR(e.rcpts->next->final, "RFC822; n@x");
	}
	CHECK_INT(e.body_size, 4);
	CHECK_INT(pread(df, buf, sizeof(buf) - 1, 0), 4);
	CHECK_STR(buf, "new\n");
	milter_mods_free(&m);
	envelope_free(&e);
	close(df);
}

static void test_env_macro(void)
{
	struct cf *cf = fixture_load("V10/Berkeley\nDjmx.example.org\nD{daemon_name}MTA-v4\n"
				     "D{both}$j and $j\n");
	struct strbuf scratch = STRBUF_INIT;
	struct milter_env_macros m = {.cf = cf, .env = &cf->macros, .scratch = &scratch};

	CHECK_STR(milter_env_macro(&m, "j"), "mx.example.org");
	CHECK_STR(milter_env_macro(&m, "daemon_name"), "MTA-v4");
	CHECK_STR(milter_env_macro(&m, "both"), "mx.example.org and mx.example.org");
	CHECK(milter_env_macro(&m, "nonesuch") == NULL);
	sb_free(&scratch);
	fixture_unload(cf);
}

static void test_parse_reply(void)
{
	struct milter_reply r;
	static const char chg[] = "\0\0\0\2Subject\0new\0";
	static const char pair[] = "<a@b>\0NOTIFY=NEVER\0";

	CHECK_INT(milter_parse_reply('c', "", 0, &r), REPLY_OK);
	CHECK_INT(milter_parse_reply('y', "250 ok", 7, &r), REPLY_BAD_CODE);
	CHECK_INT(milter_parse_reply('y', "550-5.7.1 a\r\n451 4.0.0 b", 25, &r), REPLY_BAD_CODE);
	CHECK_INT(milter_parse_reply('y', "550 5.7.1 no", 12, &r), REPLY_MALFORMED);
	CHECK_INT(milter_parse_reply('m', chg, sizeof(chg) - 1, &r), REPLY_OK);
	CHECK_INT(r.index, 2);
	CHECK_STR(r.str, "Subject");
	CHECK_STR(r.str2, "new");
	CHECK_INT(milter_parse_reply('m', chg, 10, &r), REPLY_MALFORMED);
	CHECK_INT(milter_parse_reply('2', pair, sizeof(pair) - 1, &r), REPLY_OK);
	CHECK_STR(r.str2, "NOTIFY=NEVER");
	CHECK_INT(milter_parse_reply('Z', "", 0, &r), REPLY_UNKNOWN);
	CHECK_INT(milter_parse_reply('h', "\0v", 3, &r), REPLY_MALFORMED); /* no name */
}

int main(void)
{
	static const struct test_case tests[] = {
		{"filter definitions", test_filter_defs},
		{"SMTP replies", test_replies},
		{"modifications applied", test_apply},
		{"macros from the environment", test_env_macro},
		{"reply parser", test_parse_reply},
	};
	return RUN_TESTS(tests);
}
