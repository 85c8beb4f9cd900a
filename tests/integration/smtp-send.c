/*
 * smtp-send: the integration tests' SMTP client, a thin command line over
 * lib/smtp/client.  Sends a message file to a server (optionally many
 * times, over several connections, through STARTTLS), prints what
 * happened as key=value lines (reply codes, extensions, the TLS macros),
 * and with --check-sink compares Postfix smtp-sink's dump files with what
 * was sent, byte by byte: the envelope arguments and the message, which
 * must come out as the input with its line ends normalized — the DATA
 * encoding undone by an independent decoder.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smtp/client.h"
#include "tls/tls.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_RCPTS 1000

struct args {
	const char *host;
	unsigned port;
	const char *helo;
	const char *from;
	const char *to[MAX_RCPTS];
	size_t nto;
	const char *message;
	int count, connections;
	bool size;
	enum smtp_body body;
	enum smtp_ret ret;
	const char *envid, *orcpt;
	unsigned notify;
	bool starttls, require_tls;
	struct tls_config tls;
	int timeout_ms;
	const char *transcript;
	const char *check_sink;
	const char *expect_mail, *expect_proto;
	const char *expect_rcpt[MAX_RCPTS];
	size_t nexpect_rcpt;
	long fail_body_at; /* -1: never */
	bool bench;
};

static FILE *transcript_file;

static void transcript(void *arg, bool from_client, const char *line)
{
	(void)arg;
	fprintf(transcript_file, "%s%s\n", from_client ? ">>> " : "", line);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: smtp-send [options] HOST PORT\n"
		"  --helo NAME --from ADDR --to ADDR... --message FILE\n"
		"  --count N --connections N --size --body 7BIT|8BITMIME --ret FULL|HDRS\n"
		"  --envid X --notify SUCCESS,FAILURE,DELAY|NEVER --orcpt X\n"
		"  --starttls --require-tls --ca-file F --ca-path D --cert F --key F\n"
		"  --priority S --timeout MS --transcript FILE --fail-body-at N --bench\n"
		"  --check-sink DIR --expect-mail ARGS --expect-rcpt ARGS... --expect-proto P\n");
	exit(64);
}

/* --- reading the command line -------------------------------------------- */

static unsigned parse_notify(const char *s)
{
	unsigned bits = 0;
	char *copy = xstrdup(s), *save = NULL;

	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "SUCCESS") == 0)
			bits |= SMTP_NOTIFY_SUCCESS;
		else if (strcmp(w, "FAILURE") == 0)
			bits |= SMTP_NOTIFY_FAILURE;
		else if (strcmp(w, "DELAY") == 0)
			bits |= SMTP_NOTIFY_DELAY;
		else if (strcmp(w, "NEVER") == 0)
			bits |= SMTP_NOTIFY_NEVER;
		else
			usage();
	}
	free(copy);
	return bits;
}

enum {
	O_HELO = 256,
	O_FROM,
	O_TO,
	O_MESSAGE,
	O_COUNT,
	O_CONNECTIONS,
	O_SIZE,
	O_BODY,
	O_RET,
	O_ENVID,
	O_NOTIFY,
	O_ORCPT,
	O_STARTTLS,
	O_REQUIRE_TLS,
	O_CA_FILE,
	O_CA_PATH,
	O_CERT,
	O_KEY,
	O_PRIORITY,
	O_TIMEOUT,
	O_TRANSCRIPT,
	O_CHECK_SINK,
	O_EXPECT_MAIL,
	O_EXPECT_RCPT,
	O_EXPECT_PROTO,
	O_FAIL_BODY_AT,
	O_BENCH,
};

static const struct option long_options[] = {
	{"helo", 1, 0, O_HELO},
	{"from", 1, 0, O_FROM},
	{"to", 1, 0, O_TO},
	{"message", 1, 0, O_MESSAGE},
	{"count", 1, 0, O_COUNT},
	{"connections", 1, 0, O_CONNECTIONS},
	{"size", 0, 0, O_SIZE},
	{"body", 1, 0, O_BODY},
	{"ret", 1, 0, O_RET},
	{"envid", 1, 0, O_ENVID},
	{"notify", 1, 0, O_NOTIFY},
	{"orcpt", 1, 0, O_ORCPT},
	{"starttls", 0, 0, O_STARTTLS},
	{"require-tls", 0, 0, O_REQUIRE_TLS},
	{"ca-file", 1, 0, O_CA_FILE},
	{"ca-path", 1, 0, O_CA_PATH},
	{"cert", 1, 0, O_CERT},
	{"key", 1, 0, O_KEY},
	{"priority", 1, 0, O_PRIORITY},
	{"timeout", 1, 0, O_TIMEOUT},
	{"transcript", 1, 0, O_TRANSCRIPT},
	{"check-sink", 1, 0, O_CHECK_SINK},
	{"expect-mail", 1, 0, O_EXPECT_MAIL},
	{"expect-rcpt", 1, 0, O_EXPECT_RCPT},
	{"expect-proto", 1, 0, O_EXPECT_PROTO},
	{"fail-body-at", 1, 0, O_FAIL_BODY_AT},
	{"bench", 0, 0, O_BENCH},
	{0, 0, 0, 0},
};

static void set_option(struct args *a, int opt, const char *v)
{
	switch (opt) {
	case O_HELO:
		a->helo = v;
		break;
	case O_FROM:
		a->from = v;
		break;
	case O_TO:
		if (a->nto == MAX_RCPTS)
			usage();
		a->to[a->nto++] = v;
		break;
	case O_MESSAGE:
		a->message = v;
		break;
	case O_COUNT:
		a->count = atoi(v);
		break;
	case O_CONNECTIONS:
		a->connections = atoi(v);
		break;
	case O_SIZE:
		a->size = true;
		break;
	case O_BODY:
		a->body = strcmp(v, "7BIT") == 0 ? SMTP_BODY_7BIT : SMTP_BODY_8BITMIME;
		break;
	case O_RET:
		a->ret = strcmp(v, "FULL") == 0 ? SMTP_RET_FULL : SMTP_RET_HDRS;
		break;
	case O_ENVID:
		a->envid = v;
		break;
	case O_NOTIFY:
		a->notify = parse_notify(v);
		break;
	case O_ORCPT:
		a->orcpt = v;
		break;
	case O_STARTTLS:
		a->starttls = true;
		break;
	case O_REQUIRE_TLS:
		a->starttls = a->require_tls = true;
		break;
	case O_CA_FILE:
		a->tls.ca_file = v;
		break;
	case O_CA_PATH:
		a->tls.ca_path = v;
		break;
	case O_CERT:
		a->tls.cert_file = v;
		break;
	case O_KEY:
		a->tls.key_file = v;
		break;
	case O_PRIORITY:
		a->tls.priority = v;
		break;
	case O_TIMEOUT:
		a->timeout_ms = atoi(v);
		break;
	case O_TRANSCRIPT:
		a->transcript = v;
		break;
	case O_CHECK_SINK:
		a->check_sink = v;
		break;
	case O_EXPECT_MAIL:
		a->expect_mail = v;
		break;
	case O_EXPECT_RCPT:
		if (a->nexpect_rcpt == MAX_RCPTS)
			usage();
		a->expect_rcpt[a->nexpect_rcpt++] = v;
		break;
	case O_EXPECT_PROTO:
		a->expect_proto = v;
		break;
	case O_FAIL_BODY_AT:
		a->fail_body_at = atol(v);
		break;
	case O_BENCH:
		a->bench = true;
		break;
	default:
		usage();
	}
}

static void parse_args(struct args *a, int argc, char **argv)
{
	int opt;

	memset(a, 0, sizeof(*a));
	a->helo = "client.test";
	a->from = "sender@client.test";
	a->count = a->connections = 1;
	a->timeout_ms = 10000;
	a->fail_body_at = -1;
	while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1)
		set_option(a, opt, optarg);
	if (argc - optind != 2 || a->nto == 0 || a->message == NULL || a->count < 1 ||
	    a->connections < 1)
		usage();
	a->host = argv[optind];
	a->port = (unsigned)atoi(argv[optind + 1]);
}

/* --- files --------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_put(&sb, buf, n);
	fclose(f);
	sb_puts(&sb, "");
	*len = sb.len;
	return sb_detach(&sb);
}

/* A body stream that fails with EIO after `left` bytes (--fail-body-at). */
struct failing {
	const char *p;
	size_t len, pos, fail_at;
};

static ssize_t failing_read(void *cookie, char *buf, size_t n)
{
	struct failing *f = cookie;
	size_t avail = f->len - f->pos;

	if (f->pos >= f->fail_at) {
		errno = EIO;
		return -1;
	}
	if (n > f->fail_at - f->pos)
		n = f->fail_at - f->pos;
	if (n > avail)
		n = avail;
	memcpy(buf, f->p + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

static FILE *open_body(const struct args *a, const char *msg, size_t len, struct failing *f)
{
	if (a->fail_body_at < 0)
		return fmemopen((void *)msg, len, "r");
	*f = (struct failing){msg, len, 0, (size_t)a->fail_body_at};
	return fopencookie(f, "r", (cookie_io_functions_t){.read = failing_read});
}

/* --- one connection ------------------------------------------------------ */

static void print_ext(const struct smtp_ext *ext)
{
	printf("ext=");
	for (unsigned bit = 1; bit != 0 && ehlo_flag_name(bit) != NULL; bit <<= 1)
		if (ext->flags & bit)
			printf(" %s", ehlo_flag_name(bit));
	printf("\n");
	if (ext->flags & EXT_SIZE)
		printf("size_max=%llu\n", ext->size_max);
	if (ext->auth_mechs)
		printf("auth=%s\n", ext->auth_mechs);
}

static void print_tls(const struct tls_info *info)
{
	static const char *const names[] = {"verify",	   "tls_version",  "cipher",
					    "cipher_bits", "cert_subject", "cert_issuer",
					    "cn_subject",  "cn_issuer"};
	struct strbuf scratch = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = tls_info_macro(info, names[i], &scratch);
		if (v != NULL)
			printf("%s=%s\n", names[i], v);
	}
	if (info->verify_detail)
		printf("verify_detail=%s\n", info->verify_detail);
	sb_free(&scratch);
}

static int fail(const char *stage, int r)
{
	printf("error=%s: %s\n", stage, strerror(-r));
	return 1;
}

static int do_starttls(const struct args *a, struct smtp_client *c, struct tls_context *ctx)
{
	int r;

	if (!(smtp_extensions(c)->flags & EXT_STARTTLS)) {
		printf("starttls=not offered\n");
		return a->require_tls ? 1 : 0;
	}
	r = smtp_starttls(c, ctx, a->host);
	printf("starttls=%d\n", r);
	print_tls(smtp_tls_info(c));
	if (r < 0)
		return fail("starttls", r);
	if (r / 100 != 2)
		return a->require_tls ? 1 : 0;
	print_ext(smtp_extensions(c));
	return 0;
}

/* MAIL, RCPT, DATA for one message: 0 delivered, 2 refused, 1 broken. */
static int send_message(const struct args *a, struct smtp_client *c, const char *msg, size_t len)
{
	struct smtp_mail m = {.from = a->from,
			      .size = a->size ? len : 0,
			      .body = a->body,
			      .ret = a->ret,
			      .envid = a->envid};
	struct smtp_rcpt rcpts[MAX_RCPTS];
	struct failing failing;
	size_t accepted = 0;
	FILE *body;
	int r;

	memset(rcpts, 0, sizeof(rcpts));
	for (size_t i = 0; i < a->nto; i++)
		rcpts[i] =
		    (struct smtp_rcpt){.addr = a->to[i], .notify = a->notify, .orcpt = a->orcpt};
	r = smtp_mail_rcpt(c, &m, rcpts, a->nto);
	printf("mail=%d\n", r);
	for (size_t i = 0; i < a->nto; i++) {
		printf("rcpt%zu=%d %s %s\n", i, rcpts[i].code, rcpts[i].enhanced,
		       rcpts[i].text ? rcpts[i].text : "");
		accepted += rcpts[i].code / 100 == 2;
		smtp_rcpt_clear(&rcpts[i]);
	}
	if (r < 0)
		return fail("mail", r);
	if (r / 100 != 2 || accepted == 0) {
		r = smtp_rset(c);
		printf("rset=%d\n", r);
		return r < 0 ? fail("rset", r) : 2;
	}
	body = open_body(a, msg, len, &failing);
	r = smtp_data(c, NULL, 0, body);
	fclose(body);
	printf("data=%d\n", r);
	if (r < 0)
		return fail("data", r);
	return r / 100 == 2 ? 0 : 2;
}

static int session(const struct args *a, const struct smtp_client_opts *opts,
		   struct tls_context *ctx, const char *msg, size_t len)
{
	struct smtp_client *c = smtp_client_new(opts);
	int r, status = 0;

	if ((r = smtp_connect(c, a->host, a->port)) < 0) {
		smtp_client_free(c);
		return fail("connect", r);
	}
	if ((r = smtp_greeting(c)) != 220 || (r = smtp_ehlo(c)) / 100 != 2) {
		printf("hello=%d\n", r);
		smtp_client_free(c);
		return r < 0 ? fail("hello", r) : 2;
	}
	printf("esmtp=%d\n", smtp_is_esmtp(c));
	print_ext(smtp_extensions(c));
	if (a->starttls)
		status = do_starttls(a, c, ctx);
	for (int i = 0; i < a->count && status != 1; i++) {
		int s = send_message(a, c, msg, len);
		if (s > status)
			status = s;
	}
	if (status != 1)
		printf("quit=%d\n", smtp_quit(c));
	smtp_client_free(c);
	return status;
}

/* --- checking smtp-sink's dump files -------------------------------------- */

/* What a receiving MTA stores: every CRLF, CR or LF a line end, stored as
 * LF; a last line without end gets one.  Independent of lib/smtp/data. */
static void normalize(const char *p, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
			continue;
		sb_putc(out, p[i] == '\r' ? '\n' : p[i]);
	}
	if (out->len > 0 && out->s[out->len - 1] != '\n')
		sb_putc(out, '\n');
}

/* Take the header line "Name: value" at *p into val; false if it is not there. */
static bool take_header(const char **p, const char *end, const char *name, struct strbuf *val)
{
	size_t nl = strlen(name);
	const char *eol = memchr(*p, '\n', (size_t)(end - *p));

	sb_reset(val);
	if (eol == NULL || (size_t)(eol - *p) < nl + 2 || strncmp(*p, name, nl) != 0 ||
	    strncmp(*p + nl, ": ", 2) != 0)
		return false;
	sb_put(val, *p + nl + 2, (size_t)(eol - *p) - nl - 2);
	*p = eol + 1;
	return true;
}

static int mismatch(const char *path, const char *what, const char *got, const char *want)
{
	printf("sink-mismatch=%s: %s: got \"%s\", want \"%s\"\n", path, what, got, want);
	return 1;
}

/* Skip smtp-sink's three-line Received: header. */
static bool skip_received(const char **p, const char *end)
{
	for (int i = 0; i < 3; i++) {
		const char *eol = memchr(*p, '\n', (size_t)(end - *p));
		if (eol == NULL || (i == 0 && strncmp(*p, "Received: ", 10) != 0) ||
		    (i > 0 && **p != '\t'))
			return false;
		*p = eol + 1;
	}
	return true;
}

static int check_envelope(const struct args *a, const char *path, const char **p, const char *end,
			  struct strbuf *v)
{
	if (!take_header(p, end, "X-Client-Addr", v))
		return mismatch(path, "X-Client-Addr", "", "present");
	if (!take_header(p, end, "X-Client-Proto", v) ||
	    strcmp(v->s, a->expect_proto ? a->expect_proto : "ESMTP") != 0)
		return mismatch(path, "X-Client-Proto", sb_str(v),
				a->expect_proto ? a->expect_proto : "ESMTP");
	if (!take_header(p, end, "X-Helo-Args", v) || strcmp(v->s, a->helo) != 0)
		return mismatch(path, "X-Helo-Args", sb_str(v), a->helo);
	if (!take_header(p, end, "X-Mail-Args", v) ||
	    (a->expect_mail && strcmp(v->s, a->expect_mail) != 0))
		return mismatch(path, "X-Mail-Args", sb_str(v),
				a->expect_mail ? a->expect_mail : "");
	for (size_t i = 0; i < a->nexpect_rcpt; i++)
		if (!take_header(p, end, "X-Rcpt-Args", v) || strcmp(v->s, a->expect_rcpt[i]) != 0)
			return mismatch(path, "X-Rcpt-Args", sb_str(v), a->expect_rcpt[i]);
	if (take_header(p, end, "X-Rcpt-Args", v))
		return mismatch(path, "X-Rcpt-Args", sb_str(v), "(no more)");
	return 0;
}

static int check_dump(const struct args *a, const char *path, const struct strbuf *want)
{
	size_t len;
	char *dump = read_file(path, &len);
	const char *p = dump, *end = dump + len;
	struct strbuf v = STRBUF_INIT;
	int r = check_envelope(a, path, &p, end, &v);

	if (r == 0 && !skip_received(&p, end))
		r = mismatch(path, "Received", "", "three lines");
	/* the message, then the empty line smtp-sink adds */
	if (r == 0 && ((size_t)(end - p) != want->len + 1 || memcmp(p, want->s, want->len) != 0 ||
		       end[-1] != '\n')) {
		printf("sink-mismatch=%s: message differs (%zu bytes, want %zu)\n", path,
		       (size_t)(end - p), want->len + 1);
		r = 1;
	}
	sb_free(&v);
	free(dump);
	return r;
}

static int check_sink(const struct args *a, const char *msg, size_t len, int expected)
{
	struct strbuf want = STRBUF_INIT;
	DIR *d = opendir(a->check_sink);
	struct dirent *e;
	int files = 0, bad = 0;

	if (d == NULL) {
		perror(a->check_sink);
		return 1;
	}
	normalize(msg, len, &want);
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", a->check_sink, e->d_name);
		bad += check_dump(a, path, &want);
		files++;
	}
	closedir(d);
	sb_free(&want);
	printf("sink-files=%d\nsink-bad=%d\n", files, bad);
	return bad == 0 && files == expected ? 0 : 1;
}

/* --- main ---------------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct tls_context *make_tls(const struct args *a)
{
	struct tls_context *ctx = NULL;
	struct strbuf why = STRBUF_INIT;
	int r;

	if (!a->starttls)
		return NULL;
	r = tls_context_new(&ctx, TLS_ROLE_CLIENT, &a->tls, &why);
	if (r < 0) {
		printf("error=tls context: %s\n", sb_str(&why));
		exit(1);
	}
	sb_free(&why);
	return ctx;
}

int main(int argc, char **argv)
{
	struct args a;
	struct smtp_client_opts opts = {0};
	struct tls_context *ctx;
	size_t len;
	char *msg;
	double t0;
	int status = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(&a, argc, argv);
	msg = read_file(a.message, &len);
	ctx = make_tls(&a);
	opts.helo_name = a.helo;
	smtp_timeouts_default(&opts.timeouts);
	opts.timeouts.connect = opts.timeouts.initial = opts.timeouts.helo = a.timeout_ms;
	opts.timeouts.starttls = opts.timeouts.mail = opts.timeouts.rcpt = a.timeout_ms;
	opts.timeouts.datainit = opts.timeouts.datablock = opts.timeouts.datafinal = a.timeout_ms;
	opts.timeouts.rset = opts.timeouts.quit = a.timeout_ms;
	if (a.transcript != NULL) {
		if ((transcript_file = fopen(a.transcript, "w")) == NULL) {
			perror(a.transcript);
			return 1;
		}
		opts.transcript = transcript;
	}
	if (a.bench && freopen("/dev/null", "w", stdout) == NULL)
		return 1;
	t0 = now();
	for (int i = 0; i < a.connections; i++) {
		int s = session(&a, &opts, ctx, msg, len);
		if (s > status)
			status = s;
	}
	if (a.bench) {
		double dt = now() - t0;
		int n = a.count * a.connections;
		fprintf(stderr, "bench: %d messages in %.3f s: %.0f msg/s\n", n, dt, n / dt);
	}
	if (status == 0 && a.check_sink)
		status = check_sink(&a, msg, len, a.count * a.connections);
	if (transcript_file)
		fclose(transcript_file);
	tls_context_free(ctx);
	free(msg);
	return status;
}
