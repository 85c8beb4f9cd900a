/* Unit tests for lib/tls: configuration errors and the macro values (no handshake here). */
#include <errno.h>
#include <stdlib.h>

#include "harness.h"
#include "cf/cf.h"
#include "cf/readcf.h"
#include "tls/tls.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void check_xtext(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	tls_xtextify(&sb, in, strlen(in));
	CHECK_STR(sb_str(&sb), want);
	sb_free(&sb);
}

static void test_xtext(void)
{
	check_xtext("/C=US/O=Example/CN=mx.example", "/C=US/O=Example/CN=mx.example");
	check_xtext("Sendmail CA", "Sendmail+20CA");
	check_xtext("(some text)", "+28some+20text+29");
	check_xtext("<a+b>\"", "+3Ca+2Bb+3E+22");
	check_xtext("tab\there\n", "tab+09here+0A");
	check_xtext("Z\xc3\xbcrich \x7f", "Z+C3+BCrich+20+7F");
	check_xtext("=/\\~!", "=/\\~!");
}

static void test_verify_names(void)
{
	CHECK_STR(tls_verify_name(TLS_VERIFY_NONE), "NONE");
	CHECK_STR(tls_verify_name(TLS_VERIFY_OK), "OK");
	CHECK_STR(tls_verify_name(TLS_VERIFY_NO), "NO");
	CHECK_STR(tls_verify_name(TLS_VERIFY_NOT), "NOT");
	CHECK_STR(tls_verify_name(TLS_VERIFY_FAIL), "FAIL");
	CHECK_STR(tls_verify_name(TLS_VERIFY_CLEAR), "CLEAR");
	CHECK_STR(tls_verify_name(TLS_VERIFY_TEMP), "TEMP");
	CHECK_STR(tls_verify_name(TLS_VERIFY_PROTOCOL), "PROTOCOL");
	CHECK_STR(tls_verify_name(TLS_VERIFY_SOFTWARE), "SOFTWARE");
}

static void test_macros(void)
{
	struct tls_info info;
	struct strbuf scratch = STRBUF_INIT;

	tls_info_init(&info);
	CHECK_STR(tls_info_macro(&info, "verify", &scratch), "NONE");
	CHECK(tls_info_macro(&info, "tls_version", &scratch) == NULL);
	CHECK(tls_info_macro(&info, "cipher_bits", &scratch) == NULL);
	info.verify = TLS_VERIFY_OK;
	info.version = xstrdup("TLSv1.3");
	info.cipher = xstrdup("TLS_AES_256_GCM_SHA384");
	info.cipher_bits = 256;
	info.cert_subject = xstrdup("/CN=mx");
	info.cn_issuer = xstrdup("CA");
	CHECK_STR(tls_info_macro(&info, "verify", &scratch), "OK");
	CHECK_STR(tls_info_macro(&info, "tls_version", &scratch), "TLSv1.3");
	CHECK_STR(tls_info_macro(&info, "cipher", &scratch), "TLS_AES_256_GCM_SHA384");
	CHECK_STR(tls_info_macro(&info, "cipher_bits", &scratch), "256");
	CHECK_STR(tls_info_macro(&info, "cert_subject", &scratch), "/CN=mx");
	CHECK(tls_info_macro(&info, "cert_issuer", &scratch) == NULL);
	CHECK_STR(tls_info_macro(&info, "cn_issuer", &scratch), "CA");
	CHECK(tls_info_macro(&info, "no_such_macro", &scratch) == NULL);
	tls_info_free(&info);
	CHECK_INT(info.verify, TLS_VERIFY_NONE);
	CHECK(info.version == NULL);
	sb_free(&scratch);
}

static int new_ctx(enum tls_role role, const struct tls_config *cfg, struct strbuf *why)
{
	struct tls_context *ctx = NULL;
	int r;

	sb_reset(why);
	r = tls_context_new(&ctx, role, cfg, why);
	tls_context_free(ctx);
	return r;
}

static void test_context_errors(void)
{
	struct strbuf why = STRBUF_INIT;
	struct tls_config cfg = {0};

	CHECK_INT(new_ctx(TLS_ROLE_CLIENT, &cfg, &why), 0);
	cfg.ca_file = "/nonexistent/ca.pem";
	CHECK_INT(new_ctx(TLS_ROLE_CLIENT, &cfg, &why), -ENOENT);
	CHECK_STR(sb_str(&why), "CACertFile /nonexistent/ca.pem: No such file or directory");
	cfg.ca_file = "/dev/null"; /* readable, but no certificate in it */
	CHECK_INT(new_ctx(TLS_ROLE_CLIENT, &cfg, &why), 0);
	cfg.ca_file = NULL;
	cfg.ca_path = "/nonexistent";
	CHECK_INT(new_ctx(TLS_ROLE_CLIENT, &cfg, &why), -ENOENT);
	cfg.ca_path = NULL;
	cfg.cert_file = "/dev/null";
	CHECK_INT(new_ctx(TLS_ROLE_CLIENT, &cfg, &why), -EINVAL);
	CHECK_STR(sb_str(&why), "ClientCertFile and its key file must be given together");
	cfg.key_file = "/dev/null";
	CHECK_INT(new_ctx(TLS_ROLE_CLIENT, &cfg, &why), -EPROTO);
	CHECK(strncmp(sb_str(&why), "ClientCertFile /dev/null: ", 26) == 0);
	cfg.cert_file = cfg.key_file = NULL;
	CHECK_INT(new_ctx(TLS_ROLE_SERVER, &cfg, &why), -EINVAL);
	CHECK_STR(sb_str(&why), "ServerCertFile and ServerKeyFile are required");
	cfg.priority = "NORMAL:-VERS-TLS1.0";
	CHECK_INT(new_ctx(TLS_ROLE_CLIENT, &cfg, &why), 0);
	cfg.priority = "NORMAL:+NO-SUCH-THING";
	CHECK_INT(new_ctx(TLS_ROLE_CLIENT, &cfg, &why), -EINVAL);
	CHECK(strncmp(sb_str(&why), "CipherList: bad priority string at \"+NO-SUCH-THING", 50) ==
	      0);
	/* no why: the same errors, nothing written */
	struct tls_context *ctx = NULL;
	CHECK_INT(tls_context_new(&ctx, TLS_ROLE_CLIENT, &cfg, NULL), -EINVAL);
	CHECK(ctx == NULL);
	sb_free(&why);
}

static void test_config_from_options(void)
{
	FILE *out = fopen("/dev/null", "w");
	struct cf *cf = cf_new(out);
	struct tls_config cfg;

	cf_read_line(cf, "O CACertFile=/etc/mail/tls/ca.pem");
	cf_read_line(cf, "O CACertPath=/etc/mail/tls/certs");
	cf_read_line(cf, "O ClientCertFile=/etc/mail/tls/client.pem");
	cf_read_line(cf, "O ClientKeyFile=/etc/mail/tls/client.key");
	cf_read_line(cf, "O ServerCertFile=/etc/mail/tls/server.pem");
	cf_read_line(cf, "O ServerKeyFile=/etc/mail/tls/server.key");
	cf_read_line(cf, "O CipherList=SECURE256");
	tls_config_from_options(&cfg, &cf->opt, TLS_ROLE_CLIENT);
	CHECK_STR(cfg.ca_file, "/etc/mail/tls/ca.pem");
	CHECK_STR(cfg.ca_path, "/etc/mail/tls/certs");
	CHECK_STR(cfg.cert_file, "/etc/mail/tls/client.pem");
	CHECK_STR(cfg.key_file, "/etc/mail/tls/client.key");
	CHECK_STR(cfg.priority, "SECURE256");
	CHECK(cfg.crl_file == NULL);
	CHECK(!cfg.request_cert);
	tls_config_from_options(&cfg, &cf->opt, TLS_ROLE_SERVER);
	CHECK_STR(cfg.cert_file, "/etc/mail/tls/server.pem");
	CHECK_STR(cfg.key_file, "/etc/mail/tls/server.key");
	CHECK(cfg.request_cert);
	cf_free(cf);
	fclose(out);
}

static const struct test_case tests[] = {
	{"xtext", test_xtext},
	{"verify_names", test_verify_names},
	{"macros", test_macros},
	{"context_errors", test_context_errors},
	{"config_from_options", test_config_from_options},
};

int main(void)
{
	return RUN_TESTS(tests);
}
