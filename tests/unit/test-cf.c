/* Unit tests for lib/cf: reader, options, macros, classes, class files. */
#include <resolv.h>
#include <stdlib.h>
#include <sysexits.h>

#include "harness.h"
#include "cf/cf.h"
#include "cf/class.h"
#include "cf/classfile.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "cf/meta.h"
#include "cf/readcf.h"
#include "util/strbuf.h"

static char *membuf; /* the memory stream of the cf being tested */
static size_t memlen;

/* Read `text`; the messages printed go to *msgs (caller frees). */
static struct cf *load(const char *text, char **msgs)
{
	char *buf;
	FILE *out = open_memstream(&membuf, &memlen);
	struct cf *cf = cf_new(out);
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	cf_read_stream(cf, in, "t.cf");
	fclose(in);
	fflush(out);
	buf = membuf;
	*msgs = strdup(buf ? buf : "");
	return cf;
}

static void unload(struct cf *cf)
{
	FILE *out = cf->out;
	cf_free(cf);
	fclose(out);
	free(membuf);
	membuf = NULL;
}

static void test_options(void)
{
	char *msgs;
	struct cf *cf = load("V10/Berkeley\n"
			     "O QueueDirectory=/var/spool/mqueue\n"
			     "OL12\n"
			     "O Timeout.queuereturn=5d\n"
			     "O PrivacyOptions=goaway,restrictqrun\n"
			     "O DeliveryMode=background\n"
			     "O Foo=1\n"
			     "O QueueDir=/x\n",
			     &msgs);
	CHECK_STR(cf->opt.str[OPT_QueueDirectory], "/x");
	CHECK_INT(cf->opt.num[OPT_LogLevel], 12);
	CHECK_INT(cf->opt.timeout[TO_queuereturn_normal], 5 * 86400);
	CHECK(cf->opt.num[OPT_PrivacyOptions] & PRIV_NOEXPN);
	CHECK(cf->opt.num[OPT_PrivacyOptions] & PRIV_RESTRICTQRUN);
	CHECK_INT(cf->opt.num[OPT_DeliveryMode], 'b');
	CHECK(strstr(msgs, "t.cf: line 7: readcf: unknown option name Foo") != NULL);
	CHECK(strstr(msgs, "line 8: Option QueueDir used as abbreviation for QueueDirectory") != NULL);
	free(msgs);
	unload(cf);
}

/*
 * -O Timeout.NAME after the cf as sendmail 8.17.1 has it: its cf lines of
 * other names covering the same timeouts win, its own name's do not.
 */
static void test_timeout_cmdline(void)
{
	char *msgs;
	struct cf *cf = load("V10/Berkeley\n"
			     "O Timeout.queuewarn=4h\n"
			     "O Timeout.queuewarn.non-urgent=6h\n"
			     "O Timeout.queuereturn.urgent=2h\n",
			     &msgs);
	CHECK_INT(option_set_line(cf, " Timeout.queuewarn.urgent=1s", true), 0);
	CHECK_INT(cf->opt.timeout[TO_queuewarn_urgent], 4 * 3600);
	CHECK_INT(option_set_line(cf, " Timeout.queuewarn=1s", true), 0);
	CHECK_INT(cf->opt.timeout[TO_queuewarn_urgent], 1);
	CHECK_INT(cf->opt.timeout[TO_queuewarn_normal], 1);
	CHECK_INT(cf->opt.timeout[TO_queuewarn_nonurgent], 6 * 3600);
	CHECK_INT(option_set_line(cf, " Timeout.queuereturn.urgent=1m", true), 0);
	CHECK_INT(cf->opt.timeout[TO_queuereturn_urgent], 60);
	free(msgs);
	unload(cf);
}

/* ResolverOptions: the flags set and cleared, sendmail's own two words. */
static void test_resolver_options(void)
{
	char *msgs;
	struct cf *cf = load("V10/Berkeley\n"
			     "O ResolverOptions=+AAONLY -DNSRCH defnames -usevc +HasWildcardMX "
			     "-WorkAroundBrokenAAAA +bogus\n",
			     &msgs);
	CHECK(cf->opt.resolver_clear & RES_DNSRCH);
	CHECK(!(cf->opt.resolver_set & RES_DNSRCH));
	CHECK(cf->opt.resolver_set & RES_DEFNAMES);
	CHECK(cf->opt.resolver_clear & RES_USEVC);
	CHECK(cf->opt.has_wildcard_mx);
	CHECK(!cf->opt.broken_aaaa);
	CHECK(strstr(msgs, "readcf: I option value bogus unrecognized") != NULL);
	CHECK_INT(option_set_line(cf, " ResolverOptions=+dnsrch +WorkAroundBrokenAAAA", true), 0);
	CHECK(cf->opt.resolver_set & RES_DNSRCH);
	CHECK(!(cf->opt.resolver_clear & RES_DNSRCH));
	CHECK(cf->opt.broken_aaaa);
	free(msgs);
	unload(cf);
}

static void test_fatal_option(void)
{
	char *msgs;
	struct cf *cf = load("V10/Berkeley\nO DeliveryMode=z\nZnever reached\n", &msgs);
	CHECK(strstr(msgs, "Unknown delivery mode z") != NULL);
	CHECK(strstr(msgs, "never reached") == NULL);
	free(msgs);
	unload(cf);
}

static void test_macros(void)
{
	char *msgs;
	struct strbuf sb = STRBUF_INIT;
	struct cf *cf = load("V10/Berkeley\n"
			     "DAalpha\n"
			     "DB$A-$?{undef}x$|y$.\n"
			     "D{long}L\n",
			     &msgs);
	macro_expand(cf, &cf->macros, macro_get(&cf->macros, 'B'), &sb);
	CHECK_STR(sb_str(&sb), "alpha-y");
	CHECK_STR(macro_get(&cf->macros, macro_id_find(cf, "long")), "L");
	sb_reset(&sb);
	meta_xputs(cf, &sb, macro_get(&cf->macros, 'B'));
	CHECK_STR(sb_str(&sb), "$A-$?{undef}x$|y$.");
	sb_free(&sb);
	free(msgs);
	unload(cf);
}

static void count(const char *w, void *arg)
{
	(void)w;
	(*(int *)arg)++;
}

static void test_classes(void)
{
	char *msgs;
	int n = 0;
	struct cf *cf = load("V10/Berkeley\nCXfoo Bar\nC{Long}a b c\n", &msgs);
	CHECK(class_contains(cf->classes, 'X', "FOO"));
	CHECK(class_contains(cf->classes, 'X', "bar"));
	CHECK(!class_contains(cf->classes, 'X', "baz"));
	class_foreach(cf->classes, macro_id_find(cf, "Long"), count, &n);
	CHECK_INT(n, 3);
	free(msgs);
	unload(cf);
}

static void test_classfile_scan(void)
{
	char *s = classfile_scan("%[^#]", "localhost # comment");
	CHECK_STR(s, "localhost ");
	free(s);
	s = classfile_scan("%s", "  word rest");
	CHECK_STR(s, "word");
	free(s);
	CHECK(classfile_scan("%[^#]", "# only") == NULL);
	/* only the first conversion is used; others are never run */
	s = classfile_scan("%s%s", "a b");
	CHECK_STR(s, "a");
	free(s);
	CHECK(classfile_scan("%d", "1") == NULL);
}

static void test_errors(void)
{
	char *msgs;
	struct cf *cf = load("V10/Berkeley\n"
			     "Zfoo\n"
			     "S0\n"
			     "R\t$@ x\n"
			     "R$* x\n"
			     "Mbad, P=/bin/x\n"
			     "Kz bogus\n"
			     "Kl ldap -k uid\n",
			     &msgs);
	CHECK(strstr(msgs, "t.cf: line 2: unknown configuration line \"Zfoo\"") != NULL);
	CHECK(strstr(msgs, "t.cf: line 4: R line: null LHS") != NULL);
	CHECK(strstr(msgs, "(tab expected)") != NULL);
	CHECK(strstr(msgs, "Mbad: A= argument required") != NULL);
	CHECK(strstr(msgs, "readcf: map z: class bogus not available") != NULL);
	/* sdmail has no LDAP: refused at read time, with sendmail's text */
	CHECK(strstr(msgs, "readcf: map l: class ldap not available") != NULL);
	CHECK(cf->config_errors >= 5);
	CHECK_INT(cf_finish(cf, true), EX_CONFIG);
	free(msgs);
	unload(cf);
}

static void test_mailers(void)
{
	char *msgs;
	struct cf *cf = load("V10/Berkeley\n"
			     "Mlocal, P=/usr/lib/mail.local, F=lsDFM, A=mail.local -l\n"
			     "Mprog, P=/bin/sh, F=lmsu, A=sh -c $u\n"
			     "Mesmtp, P=[IPC], F=mDFMuXa, E=\\r\\n, L=990, A=TCP $h\n",
			     &msgs);
	const struct mailer *m = mailer_find(cf, "esmtp");
	CHECK(cf->local_mailer != NULL && cf->local_mailer->index == 3);
	CHECK(m != NULL && m->index == 4);
	CHECK(m && mailer_has_flag(m, 'X') && !mailer_has_flag(m, 'l'));
	CHECK_STR(m ? m->eol : NULL, "\r\n");
	/* no $u: the local mailer speaks LMTP-style CRLF lines */
	CHECK_STR(cf->local_mailer->eol, "\r\n");
	CHECK_STR(cf->prog_mailer->eol, "\n");
	CHECK(!mailer_has_flag(cf->prog_mailer, 'm'));
	free(msgs);
	unload(cf);
}

static const struct test_case tests[] = {
	{"options", test_options},
	{"fatal option", test_fatal_option},
	{"timeout on the command line", test_timeout_cmdline},
	{"resolver options", test_resolver_options},
	{"macros", test_macros},
	{"classes", test_classes},
	{"classfile scan", test_classfile_scan},
	{"errors", test_errors},
	{"mailers", test_mailers},
};

int main(void)
{
	return RUN_TESTS(tests);
}
