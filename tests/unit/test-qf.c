/* Unit tests for lib/queue/qf: sendmail's version-8 queue control file. */
#include <errno.h>
#include <stdlib.h>
#include <sys/sysmacros.h>

#include "harness.h"
#include "msg/envelope.h"
#include "queue/qf.h"
#include "rules/recipient.h"
#include "util/strbuf.h"

/* An envelope that uses every line type sdmail writes. */
static void full_envelope(struct envelope *e)
{
	struct env_rcpt *r;

	envelope_init(e);
	e->ctime = 1795313793;
	e->last_try = 1795314443;
	e->ntries = 3;
	e->priority = 150018;
	e->df_dev = makedev(0, 42);
	e->df_ino = 24;
	envelope_set(&e->data_dir, "/var/spool/mqueue/q2");
	envelope_set(&e->bodytype, "8BITMIME");
	envelope_set(&e->message, "Deferred: Connection refused\nby [127.0.0.1]");
	envelope_set(&e->flags, "ds");
	envelope_set_macro(e, "_", "root@localhost");
	envelope_set_macro(e, "r", "ESMTP");
	envelope_set_macro(e, "{daemon_flags}", "c u");
	envelope_set(&e->quarantine, "held");
	envelope_set(&e->sender, "<s@[127.0.0.1]>");
	envelope_set(&e->envid, "abc+2Bdef");
	envelope_set(&e->auth, "<s@[127.0.0.1]>");
	e->deliver_by = 7200;
	e->deliver_by_mode = 'N';
	e->deliver_by_trace = true;
	envelope_set(&e->errors_to, "err@x.example");
	r = envelope_add_rcpt(e, "<root>", "PNSD");
	envelope_set(&r->ctladdr, ":<root>");
	envelope_set(&r->orcpt, "rfc822;orig@x.example");
	envelope_set(&r->final, "RFC822; root@oracle.example.org");
	r = envelope_add_rcpt(e, "gone@x", "PFD");
	r->done = true;
	r = envelope_add_rcpt(e, "Foo <e@f.example>", "PFD");
	envelope_set(&r->ctladdr, "");
	envelope_set(&r->final, "RFC822; e@f.example");
	envelope_add_header(e, "Return-Path", " <\x91g>", "P");
	envelope_add_header(e, "Received",
			    " (from root@localhost)\n\tby oracle.example.org id 6AM2GXII000023;\n"
			    "\tSun, 22 Nov 2026 02:16:33 GMT",
			    NULL);
	envelope_add_header(e, "X-Odd", " one\ntwo", "");
}

static const char full_text[] = "V8\n"
                                "T1795313793\n"
                                "K1795314443\n"
                                "N3\n"
                                "P150018\n"
                                "I0/42/24\n"
                                "d/var/spool/mqueue/q2\n"
                                "B8BITMIME\n"
                                "qheld\n"
                                "MDeferred: Connection refused by [127.0.0.1]\n"
                                "Fds\n"
                                "$_root@localhost\n"
                                "$rESMTP\n"
                                "${daemon_flags}c u\n"
                                "S<s@[127.0.0.1]>\n"
                                "Zabc+2Bdef\n"
                                "A<s@[127.0.0.1]>\n"
                                "!\x11 7200\n"
                                "Eerr@x.example\n"
                                "C:<root>\n"
                                "Qrfc822;orig@x.example\n"
                                "rRFC822; root@oracle.example.org\n"
                                "RPNSD:<root>\n"
                                "C\n"
                                "rRFC822; e@f.example\n"
                                "RPFD:Foo <e@f.example>\n"
                                "H?P?Return-Path: <\x81g>\n"
                                "H??Received: (from root@localhost)\n"
                                "\tby oracle.example.org id 6AM2GXII000023;\n"
                                "\tSun, 22 Nov 2026 02:16:33 GMT\n"
                                "H??X-Odd: one\n"
                                "\ttwo\n"
                                ".\n";

static char *format(const struct envelope *e)
{
	struct strbuf sb = STRBUF_INIT;
	qf_format(&sb, e);
	return sb_detach(&sb);
}

static void test_write_every_line(void)
{
	struct envelope e;
	char *text;

	full_envelope(&e);
	text = format(&e);
	CHECK_STR(text, full_text);
	free(text);
	envelope_free(&e);
}

static void test_round_trip(void)
{
	struct envelope e;
	struct qf_error err;
	const struct env_rcpt *r;
	const struct env_header *h;
	char *text;

	CHECK_INT(qf_parse(&e, full_text, sizeof(full_text) - 1, &err), 0);
	CHECK_INT(e.version, 8);
	CHECK_INT(e.ctime, 1795313793);
	CHECK_INT(e.last_try, 1795314443);
	CHECK_INT(e.ntries, 3);
	CHECK_INT(e.priority, 150018);
	CHECK_INT(major(e.df_dev), 0);
	CHECK_INT(minor(e.df_dev), 42);
	CHECK_INT(e.df_ino, 24);
	CHECK_STR(e.data_dir, "/var/spool/mqueue/q2");
	CHECK_STR(e.bodytype, "8BITMIME");
	CHECK_STR(e.message, "Deferred: Connection refused by [127.0.0.1]");
	CHECK_STR(e.flags, "ds");
	CHECK_STR(envelope_get_macro(&e, "_"), "root@localhost");
	CHECK_STR(envelope_get_macro(&e, "{daemon_flags}"), "c u");
	CHECK_STR(e.quarantine, "held");
	CHECK_STR(e.sender, "<s@[127.0.0.1]>");
	CHECK_STR(e.envid, "abc+2Bdef");
	CHECK_STR(e.auth, "<s@[127.0.0.1]>");
	CHECK_INT(e.deliver_by, 7200);
	CHECK_INT(e.deliver_by_mode, 'N');
	CHECK(e.deliver_by_trace);
	CHECK_STR(e.errors_to, "err@x.example");
	r = e.rcpts;
	CHECK_STR(r->addr, "<root>");
	CHECK_STR(r->flags, "PNSD");
	CHECK_STR(r->ctladdr, ":<root>");
	CHECK_STR(r->orcpt, "rfc822;orig@x.example");
	CHECK_STR(r->final, "RFC822; root@oracle.example.org");
	r = r->next;
	CHECK_STR(r->addr, "Foo <e@f.example>");
	CHECK_STR(r->ctladdr, "");
	CHECK(r->orcpt == NULL);
	CHECK(r->next == NULL);
	h = e.headers;
	CHECK_STR(h->name, "Return-Path");
	CHECK_STR(h->value, " <\x91g>"); /* sendmail's 0x81 is sdmail's META_MACROEXPAND */
	CHECK_STR(h->cond, "P");
	h = h->next;
	CHECK_STR(h->value, " (from root@localhost)\n\tby oracle.example.org id 6AM2GXII000023;\n"
			    "\tSun, 22 Nov 2026 02:16:33 GMT");
	CHECK(h->cond == NULL);
	CHECK_STR(h->next->value, " one\n\ttwo");
	text = format(&e);
	CHECK_STR(text, full_text);
	free(text);
	envelope_free(&e);
}

/* Written by sendmail 8.17.1 (the MSP), read as is. */
static const char sendmail_msp[] = "V8\nT1795313793\nK0\nN0\nP120085\n"
				   "Mhost map: lookup (x.example): deferred\nFbs\n"
				   "$_root@localhost\n${daemon_flags}c u\n"
				   "Ssender@x.example\nAsender@x.example\n"
				   "rRFC822; a@b.example\nRPFD:a@b.example\n"
				   "rRFC822; e@f.example\nRPFD:Foo <e@f.example>\n"
				   "H?P?Return-Path: <\x81g>\n"
				   "H??Received: (from root@localhost)\n"
				   "\tby oracle.example.org (8.17.1.9/8.17.1.9/Submit) id "
				   "6AM2GXII000023;\n"
				   "\tSun, 22 Nov 2026 02:16:33 GMT\n"
				   "H?D?Date: Sun, 22 Nov 2026 02:16:33 GMT\n"
				   "H?F?From: sender@x.example\n"
				   "H?M?Message-Id: <202611220216.6AM2GXII000023@oracle.example.org>\n"
				   "H??To: a@b.example, c@d.example\nH??Subject: t\n.\n";

/* Rewritten by sendmail 8.17.1 (the MTA) after a delivery attempt. */
static const char sendmail_mta[] = "V8\nT1795313793\nK1795314443\nN1\nP150018\nI0/42/24\n"
				   "MUser unknown\nFds\n$_root@localhost\n$rESMTP\n"
				   "$sclient.example\n${daemon_flags}c u\nS<s@[127.0.0.1]>\n"
				   "Zabc+2Bdef\n!\x11 7200\nC:<root>\nQrfc822;orig@x.example\n"
				   "rRFC822; <root>\nRPNSD:<root>\nH?P?Return-Path: <\x81g>\n"
				   "H??Subject: t\n.\n";

static void check_sendmail_file(const char *text, size_t len)
{
	struct envelope e;
	char *again;

	CHECK_INT(qf_parse(&e, text, len, NULL), 0);
	again = format(&e);
	CHECK_STR(again, text); /* sdmail writes sendmail's files back unchanged */
	free(again);
	envelope_free(&e);
}

static void test_sendmail_files(void)
{
	struct envelope e;

	check_sendmail_file(sendmail_msp, sizeof(sendmail_msp) - 1);
	check_sendmail_file(sendmail_mta, sizeof(sendmail_mta) - 1);
	CHECK_INT(qf_parse(&e, sendmail_mta, sizeof(sendmail_mta) - 1, NULL), 0);
	CHECK_INT(e.deliver_by_mode, 'N');
	CHECK(e.deliver_by_trace);
	CHECK_STR(e.rcpts->ctladdr, ":<root>");
	CHECK_STR(envelope_get_macro(&e, "s"), "client.example");
	envelope_free(&e);
}

static void test_meta_swap(void)
{
	char s[] = "a\x91g\x81x\x91";

	qf_swap_meta(s, sizeof(s) - 1);
	CHECK_STR(s, "a\x81g\x91x\x81");
	qf_swap_meta(s, sizeof(s) - 1);
	CHECK_STR(s, "a\x91g\x81x\x91");
}

static void test_defaults_and_cleanup(void)
{
	struct envelope e, back;
	struct env_rcpt *r;
	char *text;

	envelope_init(&e);
	envelope_set(&e.sender, "a\nb");
	envelope_set(&e.ctladdr, ":root");
	envelope_add_rcpt(&e, "x@y", "P:F"); /* ':' cannot be a flag */
	r = envelope_add_rcpt(&e, "z@y", "PFD");
	envelope_set(&r->ctladdr, ":root");
	e.deliver_by_mode = 'R';
	e.deliver_by = -30;
	envelope_add_header(&e, "Raw", " \x81", NULL); /* swapped, so it survives */
	text = format(&e);
	CHECK_STR(text, "V8\nT0\nK0\nN0\nP0\nF\nSa b\n!\x02 -30\nC:root\nRPF:x@y\nRPFD:z@y\n"
			"H??Raw: \x91\n.\n");
	CHECK_INT(qf_parse(&back, text, strlen(text), NULL), 0);
	CHECK(back.flags == NULL);
	CHECK_STR(back.rcpts->ctladdr, ":root");
	CHECK_INT(back.deliver_by_mode, 'R');
	CHECK(!back.deliver_by_trace);
	CHECK_STR(back.headers->value, " \x81");
	envelope_free(&back);
	free(text);
	envelope_free(&e);
}

/* No field value can end the file early or add a line of its own. */
static void test_no_line_injection(void)
{
	struct envelope e, back;
	char *text;

	envelope_init(&e);
	envelope_set(&e.sender, "a\n.\nSevil");
	envelope_set(&e.message, "\n.");
	envelope_set_macro(&e, "x\n.", "\n.");
	envelope_add_rcpt(&e, "r\n.\nRP:evil", "P\n");
	envelope_add_header(&e, "X\n.", " v\n.\nH??Y: evil", "P\n.");
	text = format(&e);
	CHECK(strstr(text, "\n.\n") == text + strlen(text) - 3);
	CHECK(strstr(text, "\nSevil") == NULL && strstr(text, "\nRP:evil") == NULL);
	CHECK(strstr(text, "\nH??Y") == NULL);
	CHECK_INT(qf_parse(&back, text, strlen(text), NULL), 0);
	CHECK_STR(back.sender, "a . Sevil");
	CHECK(back.rcpts != NULL && back.rcpts->next == NULL);
	CHECK(back.headers != NULL && back.headers->next == NULL);
	CHECK_STR(back.headers->value, " v\n\t.\n\tH??Y: evil");
	envelope_free(&back);
	free(text);
	envelope_free(&e);
}

static void check_bad(const char *text, size_t len, int line)
{
	struct envelope e;
	struct qf_error err;

	CHECK_INT(qf_parse(&e, text, len, &err), -EINVAL);
	if (line >= 0)
		CHECK_INT(err.line, line);
	CHECK(err.reason[0] != '\0');
	CHECK(e.rcpts == NULL && e.headers == NULL && e.sender == NULL);
}

#define BAD(text, line) check_bad(text, sizeof(text) - 1, line)

static void test_malformed(void)
{
	BAD("", 0);
	BAD("V8", 0);                       /* no newline at the end */
	BAD("T1\nV8\n.\n", 1);              /* V must come first */
	BAD("V9\n.\n", 1);                  /* a version sendmail 8.17 cannot read */
	BAD("V0\n.\n", 1);
	BAD("Vx\n.\n", 1);
	BAD("V8\nT1\n", 0);                 /* no final "." */
	BAD("V8\n.\nT1\n", 3);              /* text after the end */
	BAD("V8\n.x\n", 2);
	BAD("V8\nYfoo\n.\n", 2);            /* unknown line type */
	BAD("V8\n\x80\n.\n", 2);
	BAD("V8\n\n.\n", 2);                /* empty line */
	BAD("V8\n\tcontinued\n.\n", 1);     /* folds into V8 */
	BAD("V8\nTabc\n.\n", 2);
	BAD("V8\nT-1\n.\n", 2);
	BAD("V8\nT99999999999999999999\n.\n", 2);
	BAD("V8\nN1x\n.\n", 2);
	BAD("V8\nP\n.\n", 2);
	BAD("V8\nI1/2\n.\n", 2);
	BAD("V8\nI1/2/x\n.\n", 2);
	BAD("V8\n!\n.\n", 2);
	BAD("V8\n!\x04 5\n.\n", 2);
	BAD("V8\n!\x01 x\n.\n", 2);
	BAD("V8\n$\n.\n", 2);
	BAD("V8\n${daemon_flags\n.\n", 2);
	BAD("V8\n${}x\n.\n", 2);
	BAD("V8\n$\n\tfolded\n.\n", 2);       /* a macro name cannot hold a line break */
	BAD("V8\n${a\n\tb}x\n.\n", 2);
	BAD("V8\nRnocolon@x\n.\n", 2);
	BAD("V8\nRPFDPFDPFDPFDPFDPFD:a@b\n.\n", 2);
	BAD("V8\nH?P?Return-Path <x>\n.\n", 2);
	BAD("V8\nH?Punterminated\n.\n", 2);
	BAD("V8\nH: no name\n.\n", 2);
	BAD("V8\nS\0x\n.\n", 0);            /* NUL byte */
}

/* Every proper prefix of a valid file is rejected: a torn write is never taken for a message. */
static void test_truncated(void)
{
	size_t len = sizeof(full_text) - 1;
	for (size_t n = 0; n < len; n++) {
		struct envelope e;
		int rc = qf_parse(&e, full_text, n, NULL);
		if (rc != -EINVAL) {
			fprintf(stderr, "prefix of %zu bytes accepted\n", n);
			CHECK_INT(rc, -EINVAL);
			envelope_free(&e);
		}
	}
}

/* sendmail's file after a 450 to each RCPT (captured from 8.17.1) */
static const char recipient_status_text[] =
	"V8\nT1795317279\nK1795317279\nN1\nP60014\n"
	"MDeferred: 450 4.3.0 Error: command failed\nFs\n$_root@localhost\n"
	"${daemon_flags}c u\nSroot\nAroot@oracle.example.org\n"
	"MDeferred: 450 4.3.0 Error: command failed\nC:root\n"
	"rRFC822; root@oracle.example.org\nRPFD:root\n"
	"MDeferred: 450 4.3.1 later\nC:nobody\n"
	"rRFC822; nobody@oracle.example.org\nRPFD:nobody\n"
	"H?P?Return-Path: <\x81g>\n.\n";

static void test_recipient_status(void)
{
	struct envelope e;
	struct qf_error err;
	char *text;

	CHECK_INT(qf_parse(&e, recipient_status_text, sizeof(recipient_status_text) - 1, &err), 0);
	CHECK_STR(e.message, "Deferred: 450 4.3.0 Error: command failed");
	CHECK_STR(e.rcpts->statmsg, "Deferred: 450 4.3.0 Error: command failed");
	CHECK_STR(e.rcpts->next->statmsg, "Deferred: 450 4.3.1 later");
	text = format(&e);
	CHECK_STR(text, recipient_status_text);
	free(text);
	envelope_free(&e);
}

/*
 * An expansion member made by a delivery attempt is not written while it
 * is a member; once it replaces its alias it is, with the alias's C line
 * and flag A, as sendmail 8.17.1 wrote "|flaky" of alias mixlater.
 */
static void test_expansion_members(void)
{
	struct envelope e;
	struct env_rcpt *owner, *m;
	struct strbuf sb = STRBUF_INIT;

	envelope_init(&e);
	envelope_set(&e.sender, "<carol@oracle.example.org>");
	owner = envelope_add_rcpt(&e, "<mixlater@oracle.example.org>", "PFD");
	envelope_set(&owner->final, "RFC822; mixlater@oracle.example.org");
	m = envelope_add_rcpt(&e, "\"|flaky\"", "FDA");
	envelope_set(&m->final, "RFC822; mixlater@oracle.example.org");
	envelope_set(&m->ctladdr, "mixlater:1:0:<mixlater@oracle.example.org>");
	m->member = true;
	qf_format(&sb, &e);
	CHECK(strstr(sb_str(&sb), "RPFD:<mixlater@oracle.example.org>\n") != NULL);
	CHECK(strstr(sb_str(&sb), "flaky") == NULL);
	owner->done = true;
	m->member = false;
	sb_reset(&sb);
	qf_format(&sb, &e);
	CHECK(strstr(sb_str(&sb), "Cmixlater:1:0:<mixlater@oracle.example.org>\n"
	                          "rRFC822; mixlater@oracle.example.org\n"
	                          "RFDA:\"|flaky\"\n") != NULL);
	CHECK(strstr(sb_str(&sb), "RPFD") == NULL);
	sb_free(&sb);
	envelope_free(&e);
}

/* The C line of such a member, read back: alias, ids and address. */
static void test_member_ctladdr(void)
{
	struct rcpt_ctl c;

	CHECK(rcpt_ctl_parse("mixlater:1:0:<mixlater@oracle.example.org>", &c));
	CHECK_INT((long long)c.user_len, 8);
	CHECK(strncmp(c.user, "mixlater", c.user_len) == 0);
	CHECK_INT((long long)c.uid, 1);
	CHECK_INT((long long)c.gid, 0);
	CHECK_STR(c.address, "<mixlater@oracle.example.org>");
	CHECK(rcpt_ctl_parse("bob:1002:1002:bob", &c));
	CHECK_STR(c.address, "bob");
	/* the submission's controlling user, and what is not a member's */
	CHECK(!rcpt_ctl_parse(":root", &c));
	CHECK(!rcpt_ctl_parse("", &c));
	CHECK(!rcpt_ctl_parse(NULL, &c));
	CHECK(!rcpt_ctl_parse("x:1:2:", &c));
	CHECK(!rcpt_ctl_parse("x:a:2:y", &c));
	CHECK(!rcpt_ctl_parse("x::2:y", &c));
	CHECK(!rcpt_ctl_parse("x:1234567890:2:y", &c));
}

/* the lines a queue run sets a qf aside for (Qf), as sendmail 8.17.1 */
static void test_bad_line(void)
{
	char line[16];
	int n = 0;

	CHECK_INT(qf_bad_line(full_text, sizeof(full_text) - 1, &n, line, sizeof(line)), 0);
	CHECK_INT(qf_bad_line("garbage\n", 8, &n, line, sizeof(line)), 1);
	CHECK_INT(n, 1);
	CHECK_STR(line, "garbage");
	CHECK_INT(qf_bad_line("V8\nHSubject: x\n\tmore\nYzz\n.\n", 26, &n, line, sizeof(line)), 1);
	CHECK_INT(n, 4);
	CHECK_STR(line, "Yzz");
	CHECK_INT(qf_bad_line("V8\nP1\n\nSroot\n", 13, &n, line, sizeof(line)), 1);
	CHECK_INT(n, 3);
	CHECK_STR(line, "");
	/* empty or cut short: not this kind of damage */
	CHECK_INT(qf_bad_line("", 0, &n, line, sizeof(line)), 0);
	CHECK_INT(qf_bad_line("V8\nRPFD:ro", 10, &n, line, sizeof(line)), 0);
	/* a NUL where the type should be, and a long line cut to the buffer */
	CHECK_INT(qf_bad_line("V8\n\0x\n", 6, &n, line, sizeof(line)), 1);
	CHECK_INT(n, 2);
	CHECK_INT(qf_bad_line("0123456789abcdefghij\n", 21, &n, line, sizeof(line)), 1);
	CHECK_STR(line, "0123456789abcde");
}

/* Cut short: something there, but no "." line (sendmail's "incomplete"). */
static void test_cut_short(void)
{
	CHECK(!qf_cut_short(full_text, sizeof(full_text) - 1));
	CHECK(!qf_cut_short("", 0));
	CHECK(qf_cut_short("V8\nRPFD:ro", 10));
	CHECK(qf_cut_short("V8\nSroot\nRPFD:root\n", 19));
	CHECK(qf_cut_short("V8\n..\n", 6));
	CHECK(!qf_cut_short("V8\n.", 4));
	CHECK(!qf_cut_short("V8\n.\nV8\n", 8));
}

static const struct test_case tests[] = {
    {"expansion_members", test_expansion_members},
    {"member_ctladdr", test_member_ctladdr},
    {"recipient_status", test_recipient_status},
    {"write_every_line", test_write_every_line},
    {"round_trip", test_round_trip},
    {"sendmail_files", test_sendmail_files},
    {"meta_swap", test_meta_swap},
    {"defaults_and_cleanup", test_defaults_and_cleanup},
    {"no_line_injection", test_no_line_injection},
    {"malformed", test_malformed},
    {"truncated", test_truncated},
    {"bad_line", test_bad_line},
    {"cut_short", test_cut_short},
};

int main(void)
{
	return RUN_TESTS(tests);
}
