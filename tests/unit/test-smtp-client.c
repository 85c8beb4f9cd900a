/*
 * Unit tests for lib/smtp/client (and net's host parsing): the client
 * talks over a socketpair to a scripted server in a child process, which
 * checks every byte it receives against the script and answers only when
 * a step's input is complete — so pipelining is proven by the absence of
 * a deadlock, and its absence by "quiet" steps that must see nothing more
 * before they answer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "smtp/client.h"
#include "smtp/net.h"
#include "tls/tls.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* --- the scripted server ------------------------------------------------- */

struct step {
	const char *expect; /* what the client must send next; NULL: nothing */
	const char *reply;  /* then answer this; NULL: no answer */
	int quiet_ms;	    /* before answering, nothing more may arrive this long */
	bool hangup;	    /* close the connection after this step */
};

struct script {
	const struct step *steps;
	size_t n;
	bool body_cut_ok; /* at the end, data may have come, but never a final "." */
};

static int child_fail(size_t i, const char *what, const struct strbuf *got)
{
	fprintf(stderr, "server step %zu: %s; received \"%.*s\"\n", i, what,
		(int)(got->len > 300 ? 300 : got->len), sb_str(got));
	return 1;
}

/* Read until buf holds n bytes (3 s per wait); false on EOF or timeout. */
static bool child_read(int fd, struct strbuf *buf, size_t n)
{
	char tmp[65536];

	while (buf->len < n) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t r;
		if (poll(&p, 1, 3000) <= 0)
			return false;
		if ((r = read(fd, tmp, sizeof(tmp))) <= 0)
			return false;
		sb_put(buf, tmp, (size_t)r);
	}
	return true;
}

static void consume(struct strbuf *buf, size_t n)
{
	memmove(buf->s, buf->s + n, buf->len - n + 1);
	buf->len -= n;
}

static int child_step(int fd, size_t i, const struct step *s, struct strbuf *buf)
{
	if (s->expect != NULL) {
		size_t n = strlen(s->expect);
		if (!child_read(fd, buf, n) || memcmp(buf->s, s->expect, n) != 0)
			return child_fail(i, s->expect, buf);
		consume(buf, n);
	}
	if (s->quiet_ms > 0) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (buf->len > 0 || poll(&p, 1, s->quiet_ms) > 0) {
			child_read(fd, buf, buf->len + 1);
			return child_fail(i, "sent before the reply came", buf);
		}
	}
	if (s->reply != NULL && write(fd, s->reply, strlen(s->reply)) != (ssize_t)strlen(s->reply))
		return child_fail(i, "write failed", buf);
	return 0;
}

static int child_serve(int fd, const struct script *sc)
{
	struct strbuf buf = STRBUF_INIT;

	sb_puts(&buf, "");
	for (size_t i = 0; i < sc->n; i++) {
		if (child_step(fd, i, &sc->steps[i], &buf) != 0)
			return 1;
		if (sc->steps[i].hangup)
			return 0;
	}
	child_read(fd, &buf, (size_t)-1); /* everything up to the client's close */
	if (sc->body_cut_ok) {
		if (buf.len >= 5 && memcmp(buf.s + buf.len - 5, "\r\n.\r\n", 5) == 0)
			return child_fail(sc->n, "the cut message was ended", &buf);
		return 0;
	}
	if (buf.len > 0)
		return child_fail(sc->n, "unexpected data at the end", &buf);
	return 0;
}

struct session {
	pid_t pid;
	struct smtp_client *c;
	struct strbuf transcript;
};

static void record(void *arg, bool from_client, const char *line)
{
	struct strbuf *t = arg;
	sb_printf(t, "%s%s\n", from_client ? ">>> " : "", line);
}

static void start(struct session *s, const struct script *sc, int timeout_ms)
{
	struct smtp_client_opts opts = {.helo_name = "client.test"};
	int sv[2];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	fflush(stderr);
	s->pid = fork();
	if (s->pid == 0) {
		close(sv[0]);
		_exit(child_serve(sv[1], sc));
	}
	close(sv[1]);
	sb_init(&s->transcript);
	smtp_timeouts_default(&opts.timeouts);
	opts.timeouts.initial = opts.timeouts.helo = opts.timeouts.mail = timeout_ms;
	opts.timeouts.rcpt = opts.timeouts.datainit = opts.timeouts.datablock = timeout_ms;
	opts.timeouts.datafinal = opts.timeouts.rset = opts.timeouts.quit = timeout_ms;
	opts.timeouts.starttls = timeout_ms;
	opts.transcript = record;
	opts.transcript_arg = &s->transcript;
	s->c = smtp_client_new(&opts);
	smtp_attach(s->c, sv[0], sv[0]);
}

/* Close the client; the server must have seen exactly its script. */
static void finish(struct session *s)
{
	int status = 0;

	smtp_client_free(s->c);
	CHECK(waitpid(s->pid, &status, 0) == s->pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	sb_free(&s->transcript);
}

#define SCRIPT(steps)                                                                              \
	{                                                                                          \
		steps, sizeof(steps) / sizeof(steps[0]), false                                     \
	}

static const char EHLO[] = "EHLO client.test\r\n";

/* --- sessions ------------------------------------------------------------ */

static void test_pipelined_session(void)
{
	static const struct step steps[] = {
	    {NULL, "220-mx.test ESMTP\r\n220 second line\r\n"},
	    {EHLO, "250-mx.test hello\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n"
		   "250-DSN\r\n250-AUTH PLAIN\r\n250 ENHANCEDSTATUSCODES\r\n"},
	    {"MAIL From:<a@x.test> SIZE=123 BODY=8BITMIME ENVID=e+2Bv RET=HDRS AUTH=<>\r\n"
	     "RCPT To:<r1@y.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;r1@y.test\r\n"
	     "RCPT To:<r2@y.test>\r\nRCPT To:<r3@y.test> NOTIFY=NEVER\r\n",
	     "250 2.1.0 ok\r\n250 2.1.5 ok\r\n550-5.1.1 no such\r\n550 5.1.1 user\r\n"
	     "452 4.2.2 full\r\n"},
	    {"DATA\r\n", "354 go\r\n"},
	    {"Subject: t\r\n\r\n..dot\r\nlast\r\n.\r\n", "250 2.0.0 queued\r\n"},
	    {"RSET\r\n", "250 2.0.0 reset\r\n"},
	    {"QUIT\r\n", "221 2.0.0 bye\r\n"},
	};
	static const struct script sc = SCRIPT(steps);
	struct smtp_mail m = {.from = "a@x.test",
			      .size = 123,
			      .body = SMTP_BODY_8BITMIME,
			      .envid = "e+2Bv",
			      .ret = SMTP_RET_HDRS,
			      .auth = "<>"};
	struct smtp_rcpt r[3] = {
	    {.addr = "r1@y.test",
	     .notify = SMTP_NOTIFY_SUCCESS | SMTP_NOTIFY_FAILURE,
	     .orcpt = "rfc822;r1@y.test"},
	    {.addr = "r2@y.test"},
	    {.addr = "r3@y.test", .notify = SMTP_NOTIFY_NEVER},
	};
	struct session s;
	FILE *body = fmemopen((void *)".dot\nlast", 9, "r");

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_STR(sb_str(&smtp_last_reply(s.c)->text), "mx.test ESMTP\nsecond line");
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK(smtp_is_esmtp(s.c));
	CHECK_INT(smtp_extensions(s.c)->flags, EXT_PIPELINING | EXT_SIZE | EXT_8BITMIME | EXT_DSN |
						   EXT_AUTH | EXT_ENHANCEDSTATUSCODES);
	CHECK_INT(smtp_extensions(s.c)->size_max, 1000);
	CHECK_INT(smtp_mail_rcpt(s.c, &m, r, 3), 250);
	CHECK_INT(r[0].code, 250);
	CHECK_STR(r[0].enhanced, "2.1.5");
	CHECK_STR(r[0].text, "2.1.5 ok");
	CHECK_INT(r[1].code, 550);
	CHECK_STR(r[1].enhanced, "5.1.1");
	CHECK_STR(r[1].text, "5.1.1 no such\n5.1.1 user");
	CHECK_INT(r[2].code, 452);
	CHECK_STR(r[2].enhanced, "4.2.2");
	CHECK_INT(smtp_data(s.c, "Subject: t\n", 11, body), 250);
	CHECK_STR(smtp_last_reply(s.c)->enhanced, "2.0.0");
	CHECK_INT(smtp_rset(s.c), 250);
	CHECK_INT(smtp_quit(s.c), 221);
	CHECK_INT(smtp_rset(s.c), -EPIPE); /* nothing after QUIT */
	CHECK_STR(sb_str(&s.transcript),
		  "220-mx.test ESMTP\n220 second line\n>>> EHLO client.test\n250-mx.test hello\n"
		  "250-PIPELINING\n250-SIZE 1000\n250-8BITMIME\n250-DSN\n250-AUTH PLAIN\n"
		  "250 ENHANCEDSTATUSCODES\n"
		  ">>> MAIL From:<a@x.test> SIZE=123 BODY=8BITMIME ENVID=e+2Bv RET=HDRS AUTH=<>\n"
		  ">>> RCPT To:<r1@y.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;r1@y.test\n"
		  ">>> RCPT To:<r2@y.test>\n>>> RCPT To:<r3@y.test> NOTIFY=NEVER\n"
		  "250 2.1.0 ok\n250 2.1.5 ok\n550-5.1.1 no such\n550 5.1.1 user\n452 4.2.2 full\n"
		  ">>> DATA\n354 go\n>>> .\n250 2.0.0 queued\n>>> RSET\n250 2.0.0 reset\n"
		  ">>> QUIT\n221 2.0.0 bye\n");
	for (int i = 0; i < 3; i++)
		smtp_rcpt_clear(&r[i]);
	fclose(body);
	finish(&s);
}

static void test_helo_fallback_serial(void)
{
	static const struct step steps[] = {
	    {NULL, "220 old\r\n"},
	    {EHLO, "502 5.5.2 what\r\n"},
	    {"HELO client.test\r\n", "250 old hello\r\n"},
	    /* no parameters without ESMTP, one command at a time */
	    {"MAIL From:<>\r\n", "250 ok\r\n", 100},
	    {"RCPT To:<r1@y.test>\r\n", "250 ok\r\n", 100},
	    {"RCPT To:<r2@y.test>\r\n", "251 forwarded\r\n", 100},
	    /* a refused MAIL is not followed by RCPT */
	    {"MAIL From:<b@x.test>\r\n", "550 5.7.1 go away\r\n", 100},
	    {"QUIT\r\n", "221 bye\r\n"},
	};
	static const struct script sc = SCRIPT(steps);
	struct smtp_mail m = {.from = "",
			      .size = 10,
			      .body = SMTP_BODY_8BITMIME,
			      .envid = "x",
			      .ret = SMTP_RET_FULL,
			      .smtputf8 = true};
	struct smtp_rcpt r[2] = {{.addr = "r1@y.test", .notify = SMTP_NOTIFY_DELAY, .orcpt = "x"},
				 {.addr = "r2@y.test"}};
	struct session s;

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK(!smtp_is_esmtp(s.c));
	CHECK_INT(smtp_extensions(s.c)->flags, 0);
	CHECK_INT(smtp_mail_rcpt(s.c, &m, r, 2), 250);
	CHECK_INT(r[0].code, 250);
	CHECK_INT(r[1].code, 251);
	m.from = "b@x.test";
	CHECK_INT(smtp_mail_rcpt(s.c, &m, r, 2), 550);
	CHECK_INT(r[0].code, 0);
	CHECK(r[0].text == NULL);
	CHECK_INT(r[1].code, 0);
	CHECK_INT(smtp_quit(s.c), 221);
	finish(&s);
}

/* More recipients than one pipelined group holds. */
static void test_pipeline_groups(void)
{
	struct strbuf g1 = STRBUF_INIT, g2 = STRBUF_INIT, ok1 = STRBUF_INIT, ok2 = STRBUF_INIT;
	struct smtp_rcpt r[150];
	char addr[150][16];
	struct smtp_mail m = {.from = "a@x.test"};
	struct session s;

	sb_puts(&g1, "MAIL From:<a@x.test>\r\n");
	sb_puts(&ok1, "250 ok\r\n");
	for (int i = 0; i < 150; i++) {
		snprintf(addr[i], sizeof(addr[i]), "r%d@y.test", i);
		r[i] = (struct smtp_rcpt){.addr = addr[i]};
		sb_printf(i < SMTP_PIPELINE_MAX - 1 ? &g1 : &g2, "RCPT To:<%s>\r\n", addr[i]);
		sb_printf(i < SMTP_PIPELINE_MAX - 1 ? &ok1 : &ok2, "250 r%d\r\n", i);
	}
	{
		const struct step steps[] = {
		    {NULL, "220 x\r\n"}, {EHLO, "250-x\r\n250 PIPELINING\r\n"},
		    {g1.s, ok1.s, 100}, /* the first group is answered before the rest comes */
		    {g2.s, ok2.s},	 {"QUIT\r\n", "221 bye\r\n"},
		};
		const struct script sc = SCRIPT(steps);
		start(&s, &sc, 2000);
		CHECK_INT(smtp_greeting(s.c), 220);
		CHECK_INT(smtp_ehlo(s.c), 250);
		CHECK_INT(smtp_mail_rcpt(s.c, &m, r, 150), 250);
		CHECK_STR(r[149].text, "r149");
		CHECK_STR(r[98].text, "r98");
		CHECK_INT(smtp_quit(s.c), 221);
		finish(&s);
	}
	for (int i = 0; i < 150; i++)
		smtp_rcpt_clear(&r[i]);
	sb_free(&g1);
	sb_free(&g2);
	sb_free(&ok1);
	sb_free(&ok2);
}

static void test_refusals(void)
{
	static const struct step busy[] = {
	    {NULL, "554 5.3.2 busy\r\n"},
	    {"QUIT\r\n", "221 bye\r\n"},
	};
	static const struct step no_rcpt[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, "250 x\r\n"},
	    {"DATA\r\n", "554 5.5.1 no valid recipients\r\n"},
	    {"QUIT\r\n", "221 bye\r\n"},
	};
	static const struct step closing[] = {
		{NULL, "220 x\r\n"},
		{EHLO, "421 4.3.2 shutting down\r\n"}, /* no HELO after a 4xx */
	};
	static const struct script sc_busy = SCRIPT(busy), sc_no_rcpt = SCRIPT(no_rcpt);
	static const struct script sc_closing = SCRIPT(closing);
	struct session s;
	FILE *body = fmemopen((void *)"never sent\n", 11, "r");

	start(&s, &sc_busy, 2000);
	CHECK_INT(smtp_greeting(s.c), 554);
	CHECK_INT(smtp_quit(s.c), 221);
	finish(&s);

	start(&s, &sc_closing, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 421);
	CHECK(!smtp_is_esmtp(s.c));
	finish(&s);

	start(&s, &sc_no_rcpt, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK_INT(smtp_data(s.c, NULL, 0, body), 554);
	CHECK_INT(smtp_quit(s.c), 221);
	fclose(body);
	finish(&s);
}

static void test_invalid_arguments(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, "250-x\r\n250 DSN\r\n"},
	    {"QUIT\r\n", "221 bye\r\n"},
	};
	static const struct script sc = SCRIPT(steps);
	struct smtp_mail m = {.from = "a@x.test"};
	struct smtp_rcpt r = {.addr = "b@y.test"};
	struct session s;

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	m.from = "a@x.test\r\nRCPT To:<evil@z>";
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), -EINVAL);
	m.from = "a@x.test";
	m.envid = "has space";
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), -EINVAL);
	m.envid = "a=b";
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), -EINVAL);
	m.envid = "";
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), -EINVAL);
	m.envid = NULL;
	r.addr = "b@y.test\n";
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), -EINVAL);
	r.addr = "b@y.test";
	r.orcpt = "rfc822;b@y.test\x7f";
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), -EINVAL);
	r.orcpt = NULL;
	r.notify = SMTP_NOTIFY_NEVER | SMTP_NOTIFY_FAILURE;
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), -EINVAL);
	/* still usable: nothing was sent */
	CHECK_INT(smtp_quit(s.c), 221);
	finish(&s);
}

/* --- broken servers ------------------------------------------------------ */

static void test_malformed_reply(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, "250-a\r\n251 b\r\n"},
	};
	static const struct script sc = SCRIPT(steps);
	struct session s;

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), -EPROTO);
	CHECK_INT(smtp_rset(s.c), -EPIPE); /* dead: nothing more is sent */
	CHECK_INT(smtp_quit(s.c), -EPIPE);
	finish(&s);
}

static void test_timeout(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, NULL},
	};
	static const struct script sc = SCRIPT(steps);
	struct session s;
	struct timespec t0, t1;
	long long ms;

	start(&s, &sc, 200);
	CHECK_INT(smtp_greeting(s.c), 220);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(smtp_ehlo(s.c), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 190 && ms < 2000);
	finish(&s);
}

static void test_closed_mid_reply(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, "250-partial\r\n", 0, true},
	};
	static const struct script sc = SCRIPT(steps);
	struct session s;

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), -ECONNRESET);
	finish(&s);
}

static void test_long_reply_line(void)
{
	struct strbuf greeting = STRBUF_INIT;
	struct session s;

	sb_puts(&greeting, "220 ");
	for (int i = 0; i < SMTP_REPLY_LINE_MAX; i++)
		sb_putc(&greeting, 'x');
	sb_puts(&greeting, "\r\n");
	{
		const struct step steps[] = {{NULL, greeting.s}};
		const struct script sc = SCRIPT(steps);
		start(&s, &sc, 2000);
		CHECK_INT(smtp_greeting(s.c), -EMSGSIZE);
		finish(&s);
	}
	sb_free(&greeting);
}

/* A body that cannot be read to its end: the "." must never be sent. */
struct cut {
	size_t left;
};

static ssize_t cut_read(void *cookie, char *buf, size_t n)
{
	struct cut *c = cookie;

	if (c->left == 0) {
		errno = EIO;
		return -1;
	}
	if (n > c->left)
		n = c->left;
	memset(buf, 'z', n);
	if (n > 1)
		buf[n - 1] = '\n';
	c->left -= n;
	return (ssize_t)n;
}

static void test_body_read_error(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, "250 x\r\n"},
	    {"DATA\r\n", "354 go\r\n"},
	};
	struct script sc = SCRIPT(steps);
	struct cut cut = {300 * 1024};
	FILE *body = fopencookie(&cut, "r", (cookie_io_functions_t){.read = cut_read});
	struct session s;

	sc.body_cut_ok = true;
	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK_INT(smtp_data(s.c, "Subject: x\n", 11, body), -EIO);
	CHECK_INT(smtp_quit(s.c), -EPIPE);
	fclose(body);
	finish(&s);
}

/* --- STARTTLS ------------------------------------------------------------ */

static struct tls_context *client_ctx(void)
{
	struct tls_context *ctx = NULL;
	struct tls_config cfg = {0};

	CHECK_INT(tls_context_new(&ctx, TLS_ROLE_CLIENT, &cfg, NULL), 0);
	return ctx;
}

static const char EHLO_TLS[] = "250-x\r\n250-PIPELINING\r\n250 STARTTLS\r\n";

static void test_starttls_not_offered(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, "250-x\r\n250 PIPELINING\r\n"},
	    {"QUIT\r\n", "221 bye\r\n"},
	};
	static const struct script sc = SCRIPT(steps);
	struct tls_context *ctx = client_ctx();
	struct session s;

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK_INT(smtp_starttls(s.c, ctx, "x"), -EOPNOTSUPP);
	CHECK_INT(smtp_tls_info(s.c)->verify, TLS_VERIFY_NONE);
	CHECK_INT(smtp_quit(s.c), 221);
	finish(&s);
	tls_context_free(ctx);
}

static void test_starttls_refused(void)
{
	static const struct step temp[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, EHLO_TLS},
	    {"STARTTLS\r\n", "454 4.7.0 not now\r\n", 100},
	    {"MAIL From:<a@x.test>\r\n", "250 ok\r\n"}, /* the session goes on in clear */
	    {"QUIT\r\n", "221 bye\r\n"},
	};
	static const struct step perm[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, EHLO_TLS},
	    {"STARTTLS\r\n", "502 5.5.1 no\r\n"},
	    {"QUIT\r\n", "221 bye\r\n"},
	};
	static const struct script sc_temp = SCRIPT(temp), sc_perm = SCRIPT(perm);
	struct tls_context *ctx = client_ctx();
	struct smtp_mail m = {.from = "a@x.test"};
	struct session s;

	start(&s, &sc_temp, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK_INT(smtp_starttls(s.c, ctx, "x"), 454);
	CHECK_INT(smtp_tls_info(s.c)->verify, TLS_VERIFY_TEMP);
	CHECK_INT(smtp_mail_rcpt(s.c, &m, NULL, 0), 250);
	CHECK_INT(smtp_quit(s.c), 221);
	finish(&s);

	start(&s, &sc_perm, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK_INT(smtp_starttls(s.c, ctx, "x"), 502);
	CHECK_INT(smtp_tls_info(s.c)->verify, TLS_VERIFY_PROTOCOL);
	CHECK_INT(smtp_quit(s.c), 221);
	finish(&s);
	tls_context_free(ctx);
}

/* A reply smuggled behind the 220, before the handshake (CVE-2011-0411's
 * mirror image): never taken for the EHLO reply. */
static void test_starttls_injection(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, EHLO_TLS},
	    {"STARTTLS\r\n", "220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n"},
	};
	static const struct script sc = SCRIPT(steps);
	struct tls_context *ctx = client_ctx();
	struct session s;

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK_INT(smtp_starttls(s.c, ctx, "x"), -EPROTO);
	CHECK_INT(smtp_tls_info(s.c)->verify, TLS_VERIFY_PROTOCOL);
	CHECK_INT(smtp_extensions(s.c)->flags & EXT_AUTH, 0);
	CHECK_INT(smtp_quit(s.c), -EPIPE); /* nothing more, not even a ClientHello */
	finish(&s);
	tls_context_free(ctx);
}

static void test_starttls_handshake_fails(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, EHLO_TLS},
	    {"STARTTLS\r\n", "220 go ahead\r\n", 0, true},
	};
	static const struct script sc = SCRIPT(steps);
	struct tls_context *ctx = client_ctx();
	struct session s;
	int r;

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	r = smtp_starttls(s.c, ctx, "mx.test");
	CHECK(r == -ECONNRESET || r == -EPROTO);
	CHECK_INT(smtp_tls_info(s.c)->verify, TLS_VERIFY_SOFTWARE);
	finish(&s);
	tls_context_free(ctx);
}

/* --- host names ---------------------------------------------------------- */

static void check_host(const char *host, int rc, const char *name, int family, bool literal)
{
	struct net_target t;
	int r = net_parse_host(host, &t);

	CHECK_INT(r, rc);
	if (r == 0 && rc == 0) {
		CHECK_STR(t.name, name);
		CHECK_INT(t.family, family);
		CHECK_INT(t.literal, literal);
	}
}

static void test_hosts(void)
{
	check_host("mx.example.org", 0, "mx.example.org", AF_UNSPEC, false);
	check_host("[192.0.2.1]", 0, "192.0.2.1", AF_INET, true);
	check_host("[IPv6:::1]", 0, "::1", AF_INET6, true);
	check_host("[ipv6:2001:db8::25]", 0, "2001:db8::25", AF_INET6, true);
	check_host("[mx.example.org]", 0, "mx.example.org", AF_UNSPEC, false);
	check_host("127.0.0.1", 0, "127.0.0.1", AF_UNSPEC, false);
	check_host("", -EINVAL, NULL, 0, false);
	check_host("[]", -EINVAL, NULL, 0, false);
	check_host("[::1]", -EINVAL, NULL, 0, false);
	check_host("[IPv6:1.2.3.4]", -EINVAL, NULL, 0, false);
	check_host("[300.1.1.1]", -EINVAL, NULL, 0, false);
	check_host("[1.2.3]", -EINVAL, NULL, 0, false);
	check_host("[192.0.2.1", -EINVAL, NULL, 0, false);
	check_host("192.0.2.1]", -EINVAL, NULL, 0, false);
	check_host("[[x]]", -EINVAL, NULL, 0, false);
	check_host("mx example", -EINVAL, NULL, 0, false);
	check_host("mx\r\n", -EINVAL, NULL, 0, false);
}

static void test_connect_errors(void)
{
	struct smtp_client_opts opts = {.helo_name = "client.test"};
	struct smtp_client *c;
	int fd, port;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);

	/* a port nobody listens on: bind one, learn it, close it */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
	port = ntohs(sin.sin_port);
	close(fd);
	smtp_timeouts_default(&opts.timeouts);
	c = smtp_client_new(&opts);
	CHECK_INT(smtp_connect(c, "[127.0.0.1]", (unsigned)port), -ECONNREFUSED);
	CHECK_INT(smtp_connect(c, "[IPv6:1.2.3.4]", 25), -EINVAL);
	CHECK_INT(smtp_connect(c, "[127.0.0.1]", 0), -EINVAL);
	CHECK_INT(smtp_greeting(c), -ENOTCONN);
	smtp_client_free(c);
}

/* --- sendmail's pipelining: MAIL alone, then RCPTs and DATA together ---- */

struct seen_replies {
	char order[16];
	size_t n;
};

static void note_rcpt(void *arg, size_t index, const struct smtp_rcpt *r)
{
	struct seen_replies *seen = arg;
	if (seen->n + 1 < sizeof(seen->order))
		seen->order[seen->n++] = (char)('0' + index);
	CHECK(r->code != 0);
}

static void test_data_pipelined(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, "250-x\r\n250-PIPELINING\r\n250 SIZE\r\n"},
	    /* MAIL goes alone: nothing more may come before its reply */
	    {"MAIL From:<a@x.test> SIZE=5\r\n", "250 ok\r\n", 100},
	    {"RCPT To:<r1@y.test>\r\nRCPT To:<r2@y.test>\r\nDATA\r\n",
	     "250 2.1.5 ok\r\n450 4.2.2 full\r\n354 go\r\n"},
	    {"b\r\n.\r\n", "250 2.0.0 queued\r\n"},
	    {"QUIT\r\n", "221 bye\r\n"},
	};
	static const struct script sc = SCRIPT(steps);
	struct seen_replies seen = {0};
	struct smtp_mail m = {.from = "a@x.test",
			      .size = 5,
			      .pipeline_data = true,
			      .rcpt_reply = note_rcpt,
			      .rcpt_reply_arg = &seen};
	struct smtp_rcpt r[2] = {{.addr = "r1@y.test"}, {.addr = "r2@y.test"}};
	struct session s;
	FILE *body = fmemopen((void *)"b\n", 2, "r");

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK_INT(smtp_mail_rcpt(s.c, &m, r, 2), 250);
	CHECK_STR(seen.order, "01");
	CHECK_INT(r[0].code, 250);
	CHECK_INT(r[1].code, 450);
	CHECK_INT(smtp_data(s.c, NULL, 0, body), 250);
	CHECK_INT(smtp_quit(s.c), 221);
	CHECK_STR(sb_str(&s.transcript),
		  "220 x\n>>> EHLO client.test\n250-x\n250-PIPELINING\n250 SIZE\n"
		  ">>> MAIL From:<a@x.test> SIZE=5\n250 ok\n"
		  ">>> RCPT To:<r1@y.test>\n>>> RCPT To:<r2@y.test>\n>>> DATA\n"
		  "250 2.1.5 ok\n450 4.2.2 full\n354 go\n>>> .\n250 2.0.0 queued\n"
		  ">>> QUIT\n221 bye\n");
	for (int i = 0; i < 2; i++)
		smtp_rcpt_clear(&r[i]);
	fclose(body);
	finish(&s);
}

/* No recipient taken: DATA's refusal is smtp_data's answer, nothing is sent. */
static void test_data_pipelined_refused(void)
{
	static const struct step steps[] = {
	    {NULL, "220 x\r\n"},
	    {EHLO, "250-x\r\n250 PIPELINING\r\n"},
	    {"MAIL From:<>\r\n", "250 ok\r\n"},
	    {"RCPT To:<r1@y.test>\r\nDATA\r\n", "550 5.1.1 no\r\n554 5.5.1 no valid recipients\r\n"},
	    {"RSET\r\n", "250 reset\r\n"},
	    /* a server that says 354 without recipients gets an empty message */
	    {"MAIL From:<>\r\n", "250 ok\r\n"},
	    {"RCPT To:<r1@y.test>\r\nDATA\r\n", "550 5.1.1 no\r\n354 go\r\n"},
	    {".\r\n", "554 5.5.1 nothing to deliver\r\n"},
	    {"RSET\r\n", "250 reset\r\n"},
	    /* and a 354 the caller leaves open makes QUIT drop the connection */
	    {"MAIL From:<>\r\n", "250 ok\r\n"},
	    {"RCPT To:<r1@y.test>\r\nDATA\r\n", "250 ok\r\n354 go\r\n"},
	};
	static const struct script sc = SCRIPT(steps);
	struct smtp_mail m = {.from = "", .pipeline_data = true};
	struct smtp_rcpt r = {.addr = "r1@y.test"};
	struct session s;
	FILE *body = fmemopen((void *)"never sent\n", 11, "r");

	start(&s, &sc, 2000);
	CHECK_INT(smtp_greeting(s.c), 220);
	CHECK_INT(smtp_ehlo(s.c), 250);
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), 250);
	CHECK_INT(r.code, 550);
	CHECK_INT(smtp_data(s.c, NULL, 0, body), 554);
	CHECK_INT(smtp_rset(s.c), 250);
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), 250);
	CHECK_INT(r.code, 550);
	CHECK_INT(smtp_rset(s.c), 250);
	CHECK_INT(smtp_mail_rcpt(s.c, &m, &r, 1), 250);
	CHECK_INT(r.code, 250);
	CHECK_INT(smtp_quit(s.c), -EPIPE);
	smtp_rcpt_clear(&r);
	fclose(body);
	finish(&s);
}

static const struct test_case tests[] = {
	{"data_pipelined", test_data_pipelined},
	{"data_pipelined_refused", test_data_pipelined_refused},
	{"pipelined_session", test_pipelined_session},
	{"helo_fallback_serial", test_helo_fallback_serial},
	{"pipeline_groups", test_pipeline_groups},
	{"refusals", test_refusals},
	{"invalid_arguments", test_invalid_arguments},
	{"malformed_reply", test_malformed_reply},
	{"timeout", test_timeout},
	{"closed_mid_reply", test_closed_mid_reply},
	{"long_reply_line", test_long_reply_line},
	{"body_read_error", test_body_read_error},
	{"starttls_not_offered", test_starttls_not_offered},
	{"starttls_refused", test_starttls_refused},
	{"starttls_injection", test_starttls_injection},
	{"starttls_handshake_fails", test_starttls_handshake_fails},
	{"hosts", test_hosts},
	{"connect_errors", test_connect_errors},
};

int main(void)
{
	return RUN_TESTS(tests);
}
