/* Unit tests for lib/smtp/reply and lib/smtp/ehlo: SMTP replies and EHLO extensions. */
#include <errno.h>
#include <stdlib.h>

#include "harness.h"
#include "smtp/ehlo.h"
#include "smtp/reply.h"

/* Feed "\n"-separated lines; returns the last reply_add_line result. */
static int feed(struct smtp_reply *r, const char *text)
{
	int rc = -EINVAL;

	reply_reset(r);
	while (*text != '\0') {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		rc = reply_add_line(r, text, n);
		if (rc <= 0)
			return rc;
		text += n + (nl ? 1 : 0);
	}
	return rc;
}

static void test_single_line(void)
{
	struct smtp_reply r;

	reply_init(&r);
	CHECK_INT(feed(&r, "250 2.1.0 Sender ok"), 0);
	CHECK_INT(r.code, 250);
	CHECK_STR(r.enhanced, "2.1.0");
	CHECK_STR(sb_str(&r.text), "2.1.0 Sender ok");
	CHECK_INT(r.nlines, 1);
	CHECK(r.done);
	CHECK_INT(reply_class(&r), 2);
	/* a bare code is a complete last line (RFC 5321 4.2) */
	CHECK_INT(feed(&r, "354"), 0);
	CHECK_INT(r.code, 354);
	CHECK_STR(sb_str(&r.text), "");
	CHECK_STR(r.enhanced, "");
	/* no enhanced code: text kept as it is */
	CHECK_INT(feed(&r, "220 mx.example ESMTP ready"), 0);
	CHECK_STR(r.enhanced, "");
	CHECK_STR(sb_str(&r.text), "mx.example ESMTP ready");
	/* adding to a complete reply is a caller error */
	CHECK_INT(reply_add_line(&r, "250 x", 5), -EINVAL);
	reply_free(&r);
}

static void test_multi_line(void)
{
	struct smtp_reply r;
	size_t n;
	const char *line;

	reply_init(&r);
	CHECK_INT(feed(&r, "250-mx.example Hello\n250-PIPELINING\n250-\n250 HELP"), 0);
	CHECK_INT(r.code, 250);
	CHECK_INT(r.nlines, 4);
	CHECK_STR(sb_str(&r.text), "mx.example Hello\nPIPELINING\n\nHELP");
	line = reply_line(&r, 1, &n);
	CHECK(line != NULL && n == 10 && strncmp(line, "PIPELINING", n) == 0);
	line = reply_line(&r, 2, &n);
	CHECK(line != NULL && n == 0);
	line = reply_line(&r, 3, &n);
	CHECK(line != NULL && n == 4 && strncmp(line, "HELP", 4) == 0);
	CHECK(reply_line(&r, 4, &n) == NULL);
	CHECK(reply_line(&r, -1, &n) == NULL);
	/* continuation pending */
	reply_reset(&r);
	CHECK_INT(reply_add_line(&r, "421-a", 5), 1);
	CHECK(!r.done);
	CHECK_INT(reply_add_line(&r, "421 4.3.2 b", 11), 0);
	CHECK_STR(r.enhanced, "");
	reply_free(&r);
}

static void test_enhanced_codes(void)
{
	struct smtp_reply r;

	reply_init(&r);
	CHECK_INT(feed(&r, "550 5.1.1 <x@y>... User unknown"), 0);
	CHECK_STR(r.enhanced, "5.1.1");
	CHECK_INT(feed(&r, "452 4.5.3 Too many recipients"), 0);
	CHECK_STR(r.enhanced, "4.5.3");
	CHECK_INT(feed(&r, "250 2.0.0"), 0);
	CHECK_STR(r.enhanced, "2.0.0");
	CHECK_INT(feed(&r, "554 5.123.456 three digits each"), 0);
	CHECK_STR(r.enhanced, "5.123.456");
	/* the class must match the reply code */
	CHECK_INT(feed(&r, "250 5.1.1 odd"), 0);
	CHECK_STR(r.enhanced, "");
	/* not status codes */
	CHECK_INT(feed(&r, "250 2.1 short"), 0);
	CHECK_STR(r.enhanced, "");
	CHECK_INT(feed(&r, "250 2.1.0000 long"), 0);
	CHECK_STR(r.enhanced, "");
	CHECK_INT(feed(&r, "250 2.1.0x"), 0);
	CHECK_STR(r.enhanced, "");
	CHECK_INT(feed(&r, "250 2..0 x"), 0);
	CHECK_STR(r.enhanced, "");
	/* taken from the first line only */
	CHECK_INT(feed(&r, "250-hello\n250 2.0.0 ok"), 0);
	CHECK_STR(r.enhanced, "");
	reply_free(&r);
}

static void test_malformed(void)
{
	struct smtp_reply r;
	static const char *const bad[] = {
	    "",	      "25",   "2500 x", "25O ok", "150 one",	"650 six",  "260 six",	   "2x0 x",
	    " 250 x", "250x", "250_x",	"250\tx", "250 a\x01b", "250 a\rb", "250 del\x7f", "abc",
	};

	reply_init(&r);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reply_reset(&r);
		if (reply_add_line(&r, bad[i], strlen(bad[i])) != -EPROTO) {
			fprintf(stderr, "accepted \"%s\"\n", bad[i]);
			harness_failures++;
		}
	}
	/* continuation with another code */
	CHECK_INT(feed(&r, "250-a\n251 b"), -EPROTO);
	/* NUL inside a line */
	reply_reset(&r);
	CHECK_INT(reply_add_line(&r, "250 a\0b", 7), -EPROTO);
	/* tabs and UTF-8 are text */
	CHECK_INT(feed(&r, "250 tab\there, gr\xc3\xbc\xc3\x9f"
			   "e"),
		  0);
	reply_free(&r);
}

static void test_limits(void)
{
	struct smtp_reply r;
	char line[REPLY_MAX_TEXT];
	int rc = 1, i;

	reply_init(&r);
	for (i = 0; i < REPLY_MAX_LINES + 5 && rc == 1; i++)
		rc = reply_add_line(&r, "250-x", 5);
	CHECK_INT(rc, -E2BIG);
	CHECK_INT(i, REPLY_MAX_LINES + 1);
	reply_reset(&r);
	memset(line, 'a', sizeof(line));
	memcpy(line, "250-", 4);
	CHECK_INT(reply_add_line(&r, line, 1000), 1);
	rc = 1;
	for (i = 0; i < 200 && rc == 1; i++)
		rc = reply_add_line(&r, line, sizeof(line) / 8);
	CHECK_INT(rc, -E2BIG);
	CHECK(r.text.len <= REPLY_MAX_TEXT);
	reply_free(&r);
}

/* --- ehlo ---------------------------------------------------------------- */

static int parse_ehlo(struct smtp_ext *ext, const char *text)
{
	struct smtp_reply r;
	int rc;

	reply_init(&r);
	rc = feed(&r, text);
	if (rc == 0)
		rc = ehlo_parse(ext, &r);
	reply_free(&r);
	return rc;
}

static void test_ehlo_sendmail(void)
{
	struct smtp_ext ext;

	ehlo_init(&ext);
	/* sendmail 8.17's reply, as seen from its own client */
	CHECK_INT(parse_ehlo(&ext, "250-mx.example Hello client [127.0.0.1], pleased to meet you\n"
				   "250-ENHANCEDSTATUSCODES\n250-PIPELINING\n250-EXPN\n250-VERB\n"
				   "250-8BITMIME\n250-SIZE\n250-DSN\n250-ETRN\n250-AUTH DIGEST-MD5 "
				   "CRAM-MD5\n250-STARTTLS\n250-DELIVERBY\n250 HELP"),
		  0);
	CHECK_INT(ext.flags, EXT_ENHANCEDSTATUSCODES | EXT_PIPELINING | EXT_8BITMIME | EXT_SIZE |
				 EXT_DSN | EXT_AUTH | EXT_STARTTLS | EXT_DELIVERBY);
	CHECK_INT(ext.size_max, 0);
	CHECK_INT(ext.deliverby_min, 0);
	CHECK_STR(ext.auth_mechs, "DIGEST-MD5 CRAM-MD5");
	CHECK(ehlo_has_auth(&ext, "cram-md5"));
	CHECK(!ehlo_has_auth(&ext, "PLAIN"));
	CHECK(!ehlo_has_auth(&ext, "CRAM"));
	ehlo_free(&ext);
}

static void test_ehlo_parameters(void)
{
	struct smtp_ext ext;

	ehlo_init(&ext);
	CHECK_INT(parse_ehlo(&ext, "250-x\n250-size 35882577\n250-DELIVERBY 120\n250-smtputf8\n"
				   "250-Auth login PLAIN\n250-AUTH=LOGIN XOAUTH2\n250 pipelining"),
		  0);
	CHECK_INT(ext.flags, EXT_SIZE | EXT_DELIVERBY | EXT_SMTPUTF8 | EXT_AUTH | EXT_PIPELINING);
	CHECK_INT(ext.size_max, 35882577);
	CHECK_INT(ext.deliverby_min, 120);
	CHECK_STR(ext.auth_mechs, "LOGIN PLAIN XOAUTH2");
	/* a new parse replaces everything */
	CHECK_INT(parse_ehlo(&ext, "250-x\n250 8BITMIME"), 0);
	CHECK_INT(ext.flags, EXT_8BITMIME);
	CHECK(ext.auth_mechs == NULL);
	CHECK_INT(ext.size_max, 0);
	ehlo_free(&ext);
}

static void test_ehlo_oddities(void)
{
	struct smtp_ext ext;

	ehlo_init(&ext);
	/* the greeting line is not a keyword; smtp-sink ends with "250 " */
	CHECK_INT(parse_ehlo(&ext, "250-PIPELINING\n250-DSN\n250 "), 0);
	CHECK_INT(ext.flags, EXT_DSN);
	/* bad parameters: the keyword counts, the value does not */
	CHECK_INT(parse_ehlo(&ext, "250-x\n250-SIZE 12k\n250 DELIVERBY -5"), 0);
	CHECK_INT(ext.flags, EXT_SIZE | EXT_DELIVERBY);
	CHECK_INT(ext.size_max, 0);
	CHECK_INT(ext.deliverby_min, 0);
	CHECK_INT(parse_ehlo(&ext, "250-x\n250 SIZE 99999999999999999999999"), 0);
	CHECK_INT(ext.size_max, 0);
	CHECK_INT(parse_ehlo(&ext, "250-x\n250 SIZE 18446744073709551615"), 0);
	CHECK(ext.size_max == 18446744073709551615ULL);
	/* not keywords, or keywords glued to junk */
	CHECK_INT(parse_ehlo(&ext, "250-x\n250-PIPELINING2\n250-STARTTLS=yes\n250--DSN\n"
				   "250-8BITMIME\tx\n250 X-EXPS GSSAPI"),
		  0);
	CHECK_INT(ext.flags, 0);
	/* mechanisms: bad ones dropped, duplicates once */
	CHECK_INT(parse_ehlo(&ext, "250-x\n250-AUTH PLAIN plain A.B VERYVERYVERYLONGMECHNAME1 "
				   "GS2-KRB5\n250 AUTH"),
		  0);
	CHECK_INT(ext.flags, EXT_AUTH);
	CHECK_STR(ext.auth_mechs, "PLAIN GS2-KRB5");
	/* AUTH without any usable mechanism */
	CHECK_INT(parse_ehlo(&ext, "250-x\n250 AUTH"), 0);
	CHECK_INT(ext.flags, EXT_AUTH);
	CHECK(ext.auth_mechs == NULL);
	ehlo_free(&ext);
}

static void test_ehlo_refused(void)
{
	struct smtp_ext ext;
	struct smtp_reply r;

	ehlo_init(&ext);
	CHECK_INT(parse_ehlo(&ext, "502 5.5.2 Command not recognized"), -EINVAL);
	CHECK_INT(ext.flags, 0);
	reply_init(&r);
	CHECK_INT(reply_add_line(&r, "250-x", 5), 1);
	CHECK_INT(ehlo_parse(&ext, &r), -EINVAL); /* incomplete */
	reply_free(&r);
	CHECK_STR(ehlo_flag_name(EXT_STARTTLS), "STARTTLS");
	CHECK(ehlo_flag_name(1u << 30) == NULL);
	ehlo_free(&ext);
}

static const struct test_case tests[] = {
	{"single_line", test_single_line},
	{"multi_line", test_multi_line},
	{"enhanced_codes", test_enhanced_codes},
	{"malformed", test_malformed},
	{"limits", test_limits},
	{"ehlo_sendmail", test_ehlo_sendmail},
	{"ehlo_parameters", test_ehlo_parameters},
	{"ehlo_oddities", test_ehlo_oddities},
	{"ehlo_refused", test_ehlo_refused},
};

int main(void)
{
	return RUN_TESTS(tests);
}
