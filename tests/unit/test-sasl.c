/*
 * test-sasl: lib/sasl against the real libsasl2 — a sasldb made by
 * saslpasswd2 in a temporary directory, the PLAIN, LOGIN, CRAM-MD5 and
 * DIGEST-MD5 plugins of libsasl2-modules — with sdmail's server wrapper
 * talking to its client wrapper; and the codecs (base64, xtext,
 * authinfo entries).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "sasl/saslw.h"

static char dir[] = "/tmp/sdmail-sasl.XXXXXX";
static char dbpath[128];
static const char *options[] = {
    "pwcheck_method",
    "auxprop",
    "auxprop_plugin",
    "sasldb",
    "sasldb_path",
    dbpath,
    "mech_list",
    "PLAIN LOGIN CRAM-MD5 DIGEST-MD5",
    NULL,
};
static const struct saslw_conf conf = {.confdir = dir, .options = options};

static struct saslw_server *server(unsigned opts, unsigned tls_ssf)
{
	struct strbuf err = STRBUF_INIT;
	struct saslw_server_params p = {.fqdn = "mx.test",
	                                .options = opts,
	                                .tls_ssf = tls_ssf,
	                                .local_addr = "127.0.0.1;25",
	                                .remote_addr = "127.0.0.1;40000"};
	struct saslw_server *srv = saslw_server_new(&p, &err);
	if (srv == NULL)
		fprintf(stderr, "%s\n", sb_str(&err));
	sb_free(&err);
	return srv;
}

/* Runs a whole exchange; returns the server's last result. */
static enum saslw_result exchange(struct saslw_server *srv, const char *mech_wanted,
                                  const char *user, const char *authid, const char *secret)
{
	struct strbuf err = STRBUF_INIT, c2s = STRBUF_INIT, s2c = STRBUF_INIT;
	struct authinfo ai = {(char *)user, (char *)authid, (char *)secret, NULL,
	                      (char *)mech_wanted};
	struct saslw_client *cl = saslw_client_new("mx.test", &ai, &err);
	enum saslw_result r, cr;
	const char *mech;
	bool initial;
	int rounds = 0;

	CHECK(cl != NULL);
	if (cl == NULL)
		return SASLW_FAIL;
	cr = saslw_client_start(cl, "PLAIN LOGIN CRAM-MD5 DIGEST-MD5", &mech, &initial, &c2s);
	CHECK(cr == SASLW_OK || cr == SASLW_CONTINUE);
	CHECK_STR(mech, mech_wanted);
	r = saslw_server_start(srv, mech, initial ? sb_str(&c2s) : NULL, initial ? c2s.len : 0,
	                       &s2c);
	while (r == SASLW_CONTINUE && rounds++ < 5) {
		cr = saslw_client_step(cl, sb_str(&s2c), s2c.len, &c2s);
		if (cr == SASLW_FAIL)
			break;
		r = saslw_server_step(srv, sb_str(&c2s), c2s.len, &s2c);
	}
	saslw_client_free(cl);
	sb_free(&err);
	sb_free(&c2s);
	sb_free(&s2c);
	return r;
}

static void test_mechs(void)
{
	struct strbuf out = STRBUF_INIT;
	struct saslw_server *srv = server(0, 0);

	CHECK(srv != NULL);
	saslw_server_mechs(srv, "LOGIN PLAIN CRAM-MD5 DIGEST-MD5 GSSAPI", &out);
	CHECK_STR(sb_str(&out), "LOGIN PLAIN CRAM-MD5 DIGEST-MD5");
	saslw_server_mechs(srv, "EXTERNAL GSSAPI KERBEROS_V4 DIGEST-MD5 CRAM-MD5", &out);
	CHECK_STR(sb_str(&out), "DIGEST-MD5 CRAM-MD5");
	saslw_server_mechs(srv, "GSSAPI", &out);
	CHECK_STR(sb_str(&out), "");
	saslw_server_free(srv);

	/* AuthOptions p: no plaintext mechanisms, unless TLS protects them */
	srv = server(AUTHOPT_p, 0);
	saslw_server_mechs(srv, "LOGIN PLAIN CRAM-MD5", &out);
	CHECK_STR(sb_str(&out), "CRAM-MD5");
	saslw_server_free(srv);
	srv = server(AUTHOPT_p, 256);
	saslw_server_mechs(srv, "LOGIN PLAIN CRAM-MD5", &out);
	CHECK_STR(sb_str(&out), "LOGIN PLAIN CRAM-MD5");
	saslw_server_free(srv);
	/* d: no mechanisms open to dictionary attacks (all of ours are) */
	srv = server(AUTHOPT_d, 0);
	saslw_server_mechs(srv, "LOGIN PLAIN CRAM-MD5 DIGEST-MD5", &out);
	CHECK_STR(sb_str(&out), "");
	saslw_server_free(srv);
	sb_free(&out);
}

static void test_exchanges(void)
{
	static const char *const mechs[] = {"PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5"};
	for (size_t i = 0; i < 4; i++) {
		struct saslw_server *srv = server(0, 0);
		CHECK(exchange(srv, mechs[i], "alice", "alice", "s3cret") == SASLW_OK);
		CHECK_STR(saslw_server_authen(srv), "alice");
		CHECK_STR(saslw_server_author(srv), "alice");
		CHECK_STR(saslw_server_mech(srv), mechs[i]);
		CHECK_INT(saslw_server_ssf(srv), 0);
		saslw_server_free(srv);

		srv = server(0, 0);
		CHECK(exchange(srv, mechs[i], "alice", "alice", "wrong") == SASLW_FAIL);
		CHECK(saslw_server_authen(srv) == NULL);
		saslw_server_free(srv);
	}
}

static void test_authzid(void)
{
	/* like sendmail: the authorization identity is accepted, the
	 * rulesets decide what it is worth */
	struct saslw_server *srv = server(0, 0);
	CHECK(exchange(srv, "PLAIN", "bob", "alice", "s3cret") == SASLW_OK);
	CHECK_STR(saslw_server_authen(srv), "alice");
	CHECK_STR(saslw_server_author(srv), "bob");
	saslw_server_free(srv);
}

static void test_server_raw(void)
{
	struct saslw_server *srv = server(0, 0);
	struct strbuf ch = STRBUF_INIT;

	/* LOGIN prompts as sendmail's transcripts show */
	CHECK(saslw_server_start(srv, "LOGIN", NULL, 0, &ch) == SASLW_CONTINUE);
	CHECK_STR(sb_str(&ch), "Username:");
	CHECK(saslw_server_step(srv, "alice", 5, &ch) == SASLW_CONTINUE);
	CHECK_STR(sb_str(&ch), "Password:");
	CHECK(saslw_server_step(srv, "s3cret", 6, &ch) == SASLW_OK);
	saslw_server_free(srv);

	srv = server(0, 0);
	CHECK(saslw_server_start(srv, "FOO", NULL, 0, &ch) == SASLW_NOMECH);
	CHECK(saslw_server_start(srv, "PLAIN", "", 0, &ch) == SASLW_FAIL);
	saslw_server_free(srv);
	sb_free(&ch);
}

static void test_base64(void)
{
	struct strbuf sb = STRBUF_INIT, enc = STRBUF_INIT;

	CHECK_INT(b64_decode("AGFsaWNlAHMzY3JldA==", 20, &sb), 0);
	CHECK_INT(sb.len, 13);
	CHECK(memcmp(sb.s, "\0alice\0s3cret", 13) == 0);
	CHECK_INT(b64_decode("=", 1, &sb), 0);
	CHECK_INT(sb.len, 0);
	CHECK_INT(b64_decode("", 0, &sb), 0);
	CHECK_INT(b64_decode("!!!!", 4, &sb), -EINVAL);
	CHECK_INT(b64_decode("YWxpY2U", 7, &sb), -EINVAL);
	CHECK_INT(b64_decode("YW=pY2U=", 8, &sb), -EINVAL);
	CHECK_INT(b64_decode("YR==", 4, &sb), -EINVAL); /* non-zero padding bits */
	CHECK_INT(b64_decode("YQ==", 4, &sb), 0);
	CHECK_INT(b64_decode("AGFsaWNlAHMzY3JldA== extra", 26, &sb), -EINVAL);
	for (size_t n = 0; n < 8; n++) {
		sb_reset(&enc);
		b64_encode((const unsigned char *)"abcdefgh", n, &enc);
		CHECK_INT(b64_decode(enc.s ? enc.s : "", enc.len, &sb), 0);
		CHECK_INT(sb.len, n);
		CHECK(n == 0 || memcmp(sb.s, "abcdefgh", n) == 0);
	}
	sb_reset(&enc);
	b64_encode((const unsigned char *)"Username:", 9, &enc);
	CHECK_STR(sb_str(&enc), "VXNlcm5hbWU6");
	sb_free(&sb);
	sb_free(&enc);
}

static void test_xtext(void)
{
	struct strbuf sb = STRBUF_INIT;

	CHECK_INT(xtext_decode("alice+40oracle.example.org", &sb), 0);
	CHECK_STR(sb_str(&sb), "alice@oracle.example.org");
	CHECK(!xtext_valid("a+zz"));
	CHECK(!xtext_valid("a+2"));
	CHECK(!xtext_valid("a=b"));
	CHECK(!xtext_valid("co+00e")); /* NUL */
	CHECK(!xtext_valid("a b"));
	CHECK(xtext_valid(""));
	CHECK(xtext_valid("<>"));
	sb_reset(&sb);
	xtext_encode("a+b=c <d>", "<>\")", &sb);
	CHECK_STR(sb_str(&sb), "a+2Bb+3Dc+20+3Cd+3E");
	sb_free(&sb);
}

static void test_authinfo(void)
{
	struct authinfo ai;

	CHECK_INT(authinfo_parse("\"U:smmsp\" \"I:dusko\" \"P:YourSmartHostPwd\" \"M:LOGIN\"", &ai),
	          0);
	CHECK_STR(ai.user, "smmsp");
	CHECK_STR(ai.authid, "dusko");
	CHECK_STR(ai.secret, "YourSmartHostPwd");
	CHECK_STR(ai.mechs, "LOGIN");
	CHECK(ai.realm == NULL);
	authinfo_free(&ai);
	CHECK_INT(authinfo_parse("\"I:alice\" \"P=czNjcmV0\" \"R:mx.test\"", &ai), 0);
	CHECK_STR(ai.user, "alice");
	CHECK_STR(ai.secret, "s3cret");
	CHECK_STR(ai.realm, "mx.test");
	authinfo_free(&ai);
	CHECK_INT(authinfo_parse("\"U:alice\"", &ai), -EINVAL); /* no secret */
	authinfo_free(&ai);
	CHECK_INT(authinfo_parse("\"X:1\" \"P:x\" \"U:a\"", &ai), -EINVAL);
	authinfo_free(&ai);
	CHECK_INT(authinfo_parse("\"U:a\" \"P:x", &ai), -EINVAL);
	authinfo_free(&ai);
	CHECK(mech_in_list("LOGIN PLAIN", "plain"));
	CHECK(!mech_in_list("LOGIN PLAIN", "PLAI"));
	CHECK_INT(auth_options_parse("A p y"), AUTHOPT_A | AUTHOPT_p | AUTHOPT_y);
}

static const struct test_case tests[] = {
    {"mechs", test_mechs},           {"exchanges", test_exchanges}, {"authzid", test_authzid},
    {"server-raw", test_server_raw}, {"base64", test_base64},       {"xtext", test_xtext},
    {"authinfo", test_authinfo},
};

int main(void)
{
	struct strbuf err = STRBUF_INIT;
	char cmd[512];
	int rc;

	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(dbpath, sizeof(dbpath), "%s/sasldb2", dir);
	snprintf(cmd, sizeof(cmd), "echo s3cret | saslpasswd2 -f %s -p -c -u mx.test alice",
	         dbpath);
	if (system(cmd) != 0) {
		fprintf(stderr, "saslpasswd2 failed (sasl2-bin)\n");
		return 99;
	}
	if (saslw_init(&conf, &err) < 0) {
		fprintf(stderr, "%s\n", sb_str(&err));
		return 99;
	}
	rc = RUN_TESTS(tests);
	saslw_done();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	sb_free(&err);
	return rc;
}
