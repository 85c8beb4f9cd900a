/* Unit tests of lib/log: sendmail's line formats, the LogLevel filter and
 * the standard-error fallback (a real pipe). */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "log/catalog.h"
#include "log/events.h"
#include "log/log.h"
#include "log/trace.h"

static void test_delay(void)
{
	struct strbuf sb = STRBUF_INIT;
	log_format_delay(&sb, 0);
	CHECK_STR(sb_str(&sb), "00:00:00");
	sb_reset(&sb);
	log_format_delay(&sb, 56);
	CHECK_STR(sb_str(&sb), "00:00:56");
	sb_reset(&sb);
	log_format_delay(&sb, 86399);
	CHECK_STR(sb_str(&sb), "23:59:59");
	sb_reset(&sb);
	log_format_delay(&sb, 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
	CHECK_STR(sb_str(&sb), "2+03:04:05");
	sb_free(&sb);
}

static void test_ident(void)
{
	char id[LOG_IDENT_MAX + 1];
	log_ident(id, NULL);
	CHECK_STR(id, "sendmail");
	log_ident(id, "sm-msp-queue");
	CHECK_STR(id, "sm-msp-queue");
	log_ident(id, "a%b\nc");
	CHECK_STR(id, "a*b*c");
	log_ident(id, "0123456789012345678901234567890123456789");
	CHECK_STR(id, "01234567890123456789012345678901");
}

/* The line sendmail 8.17.1's MSP logged for a relayed message (oracle). */
static void test_to_line(void)
{
	const char *rcpts[] = {"nobody", "root@oracle.example.org"};
	struct log_to t = {.qid = "6AM5mOFj014863",
	                   .kind = LOG_TO_SENT,
	                   .rcpts = rcpts,
	                   .nrcpts = 2,
	                   .ctladdr = "root (0/0)",
	                   .delay = 0,
	                   .xdelay = 1,
	                   .mailer = "relay",
	                   .pri = 60026,
	                   .relay = "[127.0.0.1] [127.0.0.1]",
	                   .dsn = "2.0.0",
	                   .stat = "Sent (Ok)"};
	struct strbuf *lines;
	size_t n = log_to_lines(&t, &lines);
	CHECK_INT(n, 1);
	CHECK_STR(sb_str(&lines[0]),
	          "to=nobody,root@oracle.example.org, ctladdr=root (0/0), delay=00:00:00, "
	          "xdelay=00:00:01, mailer=relay, pri=60026, relay=[127.0.0.1] [127.0.0.1], "
	          "dsn=2.0.0, stat=Sent (Ok)");
	sb_free(&lines[0]);
	free(lines);
}

/* Lists of at most 787 bytes, ", [more]" on all but the last line. */
static void test_to_split(void)
{
	char a[4][200];
	const char *rcpts[5];
	struct log_to t = {.qid = "Q",
	                   .kind = LOG_TO_DEFERRED,
	                   .rcpts = rcpts,
	                   .delay = 0,
	                   .xdelay = -1,
	                   .mailer = "esmtp",
	                   .pri = 1,
	                   .dsn = "4.0.0",
	                   .stat = "Deferred"};
	struct strbuf *lines;
	size_t n;

	for (int i = 0; i < 4; i++) {
		memset(a[i], 'a' + i, 196);
		a[i][196] = '\0';
		rcpts[i] = a[i];
	}
	t.nrcpts = 4; /* 4 * 196 + 3 = 787 bytes: one line */
	n = log_to_lines(&t, &lines);
	CHECK_INT(n, 1);
	CHECK(strstr(sb_str(&lines[0]), "[more]") == NULL);
	CHECK(strncmp(sb_str(&lines[0]) + 3 + 787, ", delay=00:00:00, mailer=esmtp", 30) == 0);
	sb_free(&lines[0]);
	free(lines);

	a[2][196] = 'x'; /* 197 bytes: 788, the fourth goes to a second line */
	a[2][197] = '\0';
	n = log_to_lines(&t, &lines);
	CHECK_INT(n, 2);
	CHECK(strncmp(sb_str(&lines[0]) + 3 + 591, ", [more], delay=", 16) == 0);
	CHECK(strncmp(sb_str(&lines[1]), "to=dddd", 7) == 0);
	CHECK(strstr(sb_str(&lines[1]), "[more]") == NULL);
	for (size_t i = 0; i < n; i++)
		sb_free(&lines[i]);
	free(lines);
}

/* Everything written to a pipe by a context that has no journal. */
static char *capture(long level, void (*emit)(struct log_ctx *))
{
	struct log_ctx lc;
	int fds[2];
	static char buf[8192];
	ssize_t n;

	if (pipe(fds) != 0)
		return NULL;
	log_init(&lc, "sm-mta", level, LOG_FALLBACK_STDERR, "/nonexistent/journal/socket");
	lc.err_fd = fds[1];
	emit(&lc);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void emit_reject(struct log_ctx *lc)
{
	struct log_peer p = {"client.example", "192.0.2.7"};
	log_reject(lc, "NOQUEUE", "check_rcpt", "<x@y.example>", NULL, &p,
	           "550 5.7.1 <x@y.example>... Relaying denied");
}

static void emit_control(struct log_ctx *lc)
{
	struct log_from f = {
	    .qid = "6AM5mOFj014863", .from = "<a@b>\nforged: line", .size = 1, .nrcpts = 1};
	log_from(lc, &f);
}

static bool matches(const char *text, const char *rx)
{
	regex_t re;
	bool ok;
	if (regcomp(&re, rx, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	ok = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static void test_stderr_fallback(void)
{
	const char *out = capture(9, emit_reject);
	CHECK(matches(out, "^[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [^ .]+ "
	                   "sm-mta\\[[0-9]+\\]: NOQUEUE: ruleset=check_rcpt, arg1=<x@y.example>, "
	                   "relay=client.example \\[192.0.2.7\\], reject=550 5.7.1 "
	                   "<x@y.example>... Relaying denied\n$"));
	/* below its threshold (4) nothing is written */
	CHECK_STR(capture(3, emit_reject), "");
	/* no input can start a second line */
	out = capture(9, emit_control);
	CHECK(strchr(out, '\n') == out + strlen(out) - 1);
	CHECK(strstr(out, ": 6AM5mOFj014863: from=<a@b>?forged: line, size=1,") != NULL);
}

static void test_no_destination(void)
{
	struct log_ctx lc;
	log_init(&lc, NULL, 9, LOG_FALLBACK_NONE, "/nonexistent/journal/socket");
	CHECK(lc.dest == LOG_DEST_NONE);
	CHECK(!log_wants(&lc, 1));
	CHECK_STR(lc.ident, "sendmail");
}

static void emit_lines(struct log_ctx *lc)
{
	struct log_peer p = {NULL, "192.0.2.9"};
	log_lost_input(lc, "NOQUEUE", &p, "MTA", "rcpt");
	log_input_timeout(lc, "6AM5mOFj014863", &p, "server cmd read");
	log_no_mail(lc, "6AM5mOFj014863", &p, "MTA");
	log_done(lc, "6AM5mOFj014863", 56, 1);
	log_auth_server(lc, "6AM5mOFj014863", &p, "alice", "PLAIN", 0);
	log_connect_from(lc, "NOQUEUE", "root@localhost");
	log_auth_client(lc, "[127.0.0.1]", "", 0);
}

static void test_other_lines(void)
{
	const char *out = capture(10, emit_lines);
	CHECK(strstr(out, "]: NOQUEUE: lost input channel from [192.0.2.9] to MTA after rcpt\n"));
	CHECK(strstr(out, "]: 6AM5mOFj014863: timeout waiting for input from [192.0.2.9] during "
	                  "server cmd read\n"));
	CHECK(strstr(out, "]: 6AM5mOFj014863: [192.0.2.9] did not issue MAIL/EXPN/VRFY/ETRN "
	                  "during connection to MTA\n"));
	CHECK(strstr(out, "]: 6AM5mOFj014863: done; delay=00:00:56, ntries=1\n"));
	CHECK(strstr(out, "]: 6AM5mOFj014863: AUTH=server, relay=[192.0.2.9], authid=alice, "
	                  "mech=PLAIN, bits=0\n"));
	CHECK(strstr(out, "]: NOQUEUE: connect from root@localhost\n"));
	CHECK(strstr(out, "]: AUTH=client, relay=[127.0.0.1], mech=, bits=0\n"));
	/* done; and AUTH=server need LogLevel 10 */
	out = capture(9, emit_lines);
	CHECK(strstr(out, "done;") == NULL && strstr(out, "AUTH=server") == NULL);
	CHECK(strstr(out, "lost input channel") != NULL);
}

/* Lines sendmail 8.17.1 logged for -bs sessions (oracle, LogLevel 14). */
static void emit_bs_session(struct log_ctx *lc)
{
	struct log_peer me = {.text = "root@localhost"};
	struct log_from f = {.qid = "6AM60uB1006123",
	                     .from = "<a@oracle.example.org>",
	                     .nrcpts = 1,
	                     .proto = "ESMTP",
	                     .peer = &me};
	const char *rcpt[] = {"<x@[10.9.9.9]>"};
	struct log_to t = {.qid = "6AM60uB1006123",
	                   .kind = LOG_TO_FAILED,
	                   .rcpts = rcpt,
	                   .nrcpts = 1,
	                   .xdelay = -1,
	                   .stat = "aborted by sender"};

	log_no_mail(lc, "6AM60uB1006123", &me, "stdin");
	log_reject(lc, "6AM60uB1006123", "check_mail", "<a@b.example>", NULL, &me,
	           "451 4.1.8 Domain of sender address a@b.example does not resolve");
	log_lost_input(lc, "6AM60uB1006123", &me, "stdin", "rcpt");
	log_to(lc, &t);
	log_from(lc, &f);
}

static void test_bs_session(void)
{
	const char *out = capture(14, emit_bs_session);
	CHECK(strstr(out, "]: 6AM60uB1006123: root@localhost did not issue MAIL/EXPN/VRFY/ETRN "
	                  "during connection to stdin\n"));
	CHECK(strstr(out, "]: 6AM60uB1006123: ruleset=check_mail, arg1=<a@b.example>, "
	                  "relay=root@localhost, reject=451 4.1.8 Domain of sender address "
	                  "a@b.example does not resolve\n"));
	CHECK(strstr(out, "]: 6AM60uB1006123: lost input channel from root@localhost to stdin "
	                  "after rcpt\n"));
	CHECK(strstr(out, "]: 6AM60uB1006123: to=<x@[10.9.9.9]>, delay=00:00:00, pri=0, "
	                  "stat=aborted by sender\n"));
	CHECK(strstr(out, "]: 6AM60uB1006123: from=<a@oracle.example.org>, size=0, class=0, "
	                  "nrcpts=1, proto=ESMTP, relay=root@localhost\n"));
}

/* The MTA's lines for a message over STARTTLS (oracle: tls-oracle.txt). */
static void emit_tls_session(struct log_ctx *lc)
{
	struct log_peer peer = {"oracle.example.org", "127.0.0.1", NULL};
	struct log_tls t = {.role = "server",
	                    .peer = &peer,
	                    .version = "TLSv1.3",
	                    .verify = "NO",
	                    .cipher = "TLS_AES_256_GCM_SHA384",
	                    .bits = 256,
	                    .alg_bits = 256};
	struct log_from f = {.qid = "6AM5vB77032021",
	                     .from = "<root@oracle.example.org>",
	                     .size = 291,
	                     .nrcpts = 1,
	                     .msgid = "<202611220557.6AM5vB77032020@oracle.example.org>",
	                     .proto = "ESMTPS",
	                     .daemon = "MTA-v4",
	                     .peer = &peer};
	const char *rcpt[] = {"<root@oracle.example.org>"};
	struct log_to to = {.qid = "6AM5vB77032021",
	                    .kind = LOG_TO_DEFERRED,
	                    .rcpts = rcpt,
	                    .nrcpts = 1,
	                    .ctladdr = "<root@oracle.example.org> (0/0)",
	                    .mailer = "local",
	                    .pri = 30605,
	                    .dsn = "4.0.0",
	                    .stat = "Operating system error"};

	log_starttls(lc, &t);
	log_from(lc, &f);
	log_to(lc, &to);
}

static void test_tls_session(void)
{
	const char *out = capture(9, emit_tls_session);
	CHECK(strstr(out, "]: STARTTLS=server, relay=oracle.example.org [127.0.0.1], "
	                  "version=TLSv1.3, verify=NO, cipher=TLS_AES_256_GCM_SHA384, "
	                  "bits=256/256\n"));
	CHECK(strstr(out,
	             "]: 6AM5vB77032021: from=<root@oracle.example.org>, size=291, "
	             "class=0, nrcpts=1, msgid=<202611220557.6AM5vB77032020@oracle.example.org>, "
	             "proto=ESMTPS, daemon=MTA-v4, relay=oracle.example.org [127.0.0.1]\n"));
	CHECK(strstr(out, "]: 6AM5vB77032021: to=<root@oracle.example.org>, "
	                  "ctladdr=<root@oracle.example.org> (0/0), delay=00:00:00, "
	                  "xdelay=00:00:00, mailer=local, pri=30605, dsn=4.0.0, "
	                  "stat=Operating system error\n"));
}

static void test_message_ids(void)
{
	CHECK_STR(log_message_id("from", NULL), SDMAIL_MID_ACCEPTED);
	CHECK_STR(log_message_id("to", "sent"), SDMAIL_MID_DELIVERED);
	CHECK_STR(log_message_id("to", "deferred"), SDMAIL_MID_DEFERRED);
	CHECK_STR(log_message_id("to", "bounced"), SDMAIL_MID_BOUNCED);
	CHECK_STR(log_message_id("dsn", NULL), SDMAIL_MID_DSN);
	CHECK_STR(log_message_id("reject", NULL), SDMAIL_MID_REJECTED);
	CHECK_STR(log_message_id("auth-failure", NULL), SDMAIL_MID_AUTH_FAILURE);
	CHECK(log_message_id("to", NULL) == NULL);
	CHECK(log_message_id("done", NULL) == NULL);
	CHECK(log_message_id(NULL, NULL) == NULL);
}

static void test_trace(void)
{
	char q[TRACE_QID_MAX + 1];

	CHECK(
	    trace_relayed_qid("6B71SigE028829: to=a@[127.0.0.2], mailer=relay, pri=30088, "
	                      "dsn=2.0.0, stat=Sent (6B71Siud028833 Message accepted for delivery)",
	                      q));
	CHECK_STR(q, "6B71Siud028833");
	CHECK(trace_relayed_qid("to=<a@b>, dsn=2.0.0, stat=Sent (Ok: queued as 4XYZ12abCD)", q));
	CHECK_STR(q, "4XYZ12abCD");
	CHECK(!trace_relayed_qid("to=<a@b>, dsn=2.0.0, stat=Sent (Ok)", q));
	CHECK(!trace_relayed_qid("to=<a@b>, stat=Sent (ab Message accepted for delivery)", q));
	CHECK(!trace_relayed_qid("from=<a@b>, stat=Sent (6B71Siud028833 Message accepted for "
	                         "delivery)",
	                         q));
	CHECK(!trace_relayed_qid("to=<a@b>, stat=Deferred: 6B71Siud028833 Message accepted", q));
	CHECK(trace_from_msgid("6B71SigE028829: from=nobody, size=88, class=0, nrcpts=1, "
	                       "msgid=<t@x.example>, relay=nobody@localhost",
	                       "<t@x.example>"));
	CHECK(trace_from_msgid("X: from=<a@b>, size=1, class=0, nrcpts=1, msgid=<t@x>", "<t@x>"));
	CHECK(!trace_from_msgid("X: from=<a@b>, size=1, msgid=<t@x.example>", "<t@x>"));
	CHECK(!trace_from_msgid("X: to=<a@b>, msgid=<t@x>", "<t@x>"));
	CHECK(!trace_from_msgid("X: from=<a@b>, msgid=<t@x>", ""));
}

static const struct test_case tests[] = {
    {"message_ids", test_message_ids},
    {"trace", test_trace},
    {"tls_session", test_tls_session},
    {"bs_session", test_bs_session},
    {"delay", test_delay},
    {"ident", test_ident},
    {"to_line", test_to_line},
    {"to_split", test_to_split},
    {"stderr_fallback", test_stderr_fallback},
    {"no_destination", test_no_destination},
    {"other_lines", test_other_lines},
};

int main(void)
{
	return RUN_TESTS(tests);
}
