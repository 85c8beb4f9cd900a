/*
 * auth-client SENDMAIL: the client side of SMTP AUTH — lib/smtp's
 * smtp_auth() with authinfo entries — against a real server doing AUTH
 * over a real libsasl2: sdmail's `SENDMAIL -bs -Am` on a socketpair.
 * Run inside auth-drive.sh --exec (sasldb user alice / s3cret) with
 * AuthMechanisms=LOGIN PLAIN CRAM-MD5 DIGEST-MD5.  Prints the
 * transcripts; exits 1 on any failed check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sasl/saslw.h"
#include "smtp/client.h"

static int failures;

static void check(bool ok, const char *what, int got)
{
	printf("%s %s (%d)\n", ok ? "ok  " : "FAIL", what, got);
	if (!ok)
		failures++;
}

static void show(void *arg, bool from_client, const char *line)
{
	(void)arg;
	printf("  %s%s\n", from_client ? ">>> " : "", line);
}

/* One session with `entry`; returns smtp_auth's result. */
static int session(const char *sendmail, const char *entry)
{
	struct smtp_client_opts o = {.helo_name = "client.example.com", .transcript = show};
	struct smtp_client *c;
	struct authinfo ai;
	int sv[2], r;
	pid_t pid;

	if (authinfo_parse(entry, &ai) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -EINVAL;
	pid = fork();
	if (pid == 0) {
		dup2(sv[1], 0);
		dup2(sv[1], 1);
		close(sv[0]);
		close(sv[1]);
		execl(sendmail, sendmail, "-bs", "-Am", "-odq", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	smtp_timeouts_default(&o.timeouts);
	c = smtp_client_new(&o);
	smtp_attach(c, sv[0], sv[0]);
	r = smtp_greeting(c);
	if (r == 220)
		r = smtp_ehlo(c);
	if (r == 250)
		r = smtp_auth(c, &ai, "oracle.example.org");
	smtp_quit(c);
	smtp_client_free(c);
	waitpid(pid, NULL, 0);
	authinfo_free(&ai);
	return r;
}

int main(int argc, char **argv)
{
	static const char *const mechs[] = {"PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5"};
	struct strbuf err = STRBUF_INIT;
	char entry[256];
	int r;

	if (argc != 2 || saslw_init(NULL, &err) < 0) {
		fprintf(stderr, "usage: auth-client SENDMAIL (%s)\n", sb_str(&err));
		return 2;
	}
	for (size_t i = 0; i < 4; i++) {
		snprintf(entry, sizeof(entry), "\"U:alice\" \"P:s3cret\" \"M:%s\"", mechs[i]);
		r = session(argv[1], entry);
		check(r == 235, mechs[i], r);
		snprintf(entry, sizeof(entry), "\"U:alice\" \"P:wrong\" \"M:%s\"", mechs[i]);
		r = session(argv[1], entry);
		check(r == 535, "wrong password refused", r);
	}
	/* no mechanism restriction: libsasl2 picks the strongest offered */
	r = session(argv[1], "\"I:alice\" \"P=czNjcmV0\"");
	check(r == 235, "any mechanism, base64 password", r);
	r = session(argv[1], "\"U:alice\" \"P:s3cret\" \"M:GSSAPI\"");
	check(r == -EOPNOTSUPP, "no common mechanism: nothing sent", r);
	saslw_done();
	sb_free(&err);
	return failures ? 1 : 0;
}
