/* Unit tests for lib/smtp/io: line reading and buffered writing over sockets and pipes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "smtp/io.h"
#include "util/xalloc.h"

static void put(int fd, const char *s)
{
	size_t n = strlen(s);
	CHECK(write(fd, s, n) == (ssize_t)n);
}

static void check_line(struct smtp_io *io, const char *want, bool bare_lf)
{
	struct io_line l;
	int r = io_read_line(io, 1000, &l);

	CHECK_INT(r, 0);
	if (r == 0) {
		CHECK_STR(l.s, want);
		CHECK_INT(l.len, strlen(want));
		CHECK_INT(l.bare_lf, bare_lf);
	}
}

static long long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000LL + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_lines(void)
{
	int sv[2];
	struct smtp_io io;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	io_init(&io, sv[0], sv[0], 100);
	put(sv[1], "220 crlf\r\n250 bare lf\n\r\n\nsplit ");
	check_line(&io, "220 crlf", false);
	check_line(&io, "250 bare lf", true);
	CHECK_INT(io_pending(&io), 9);
	check_line(&io, "", false);
	check_line(&io, "", true);
	put(sv[1], "across\r");
	put(sv[1], "\nx\r\r\n");
	check_line(&io, "split across", false);
	check_line(&io, "x\r", false); /* only the CR of CRLF is removed */
	CHECK_INT(io_pending(&io), 0);
	io_release(&io);
	close(sv[0]);
	close(sv[1]);
}

static void test_long_lines(void)
{
	int sv[2];
	struct smtp_io io;
	struct io_line l;
	char big[300];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	io_init(&io, sv[0], sv[0], 10);
	/* exactly the limit, with and without CR */
	put(sv[1], "0123456789\r\n0123456789\n");
	check_line(&io, "0123456789", false);
	check_line(&io, "0123456789", true);
	/* one more: refused, and the next line is intact */
	put(sv[1], "0123456789A\r\nnext\r\n");
	CHECK_INT(io_read_line(&io, 1000, &l), -EMSGSIZE);
	check_line(&io, "next", false);
	/* far longer than the buffer, arriving in pieces: skipped whole */
	memset(big, 'x', sizeof(big));
	CHECK(write(sv[1], big, sizeof(big)) == (ssize_t)sizeof(big));
	CHECK_INT(io_read_line(&io, 1000, &l), -EMSGSIZE);
	CHECK(write(sv[1], big, sizeof(big)) == (ssize_t)sizeof(big));
	put(sv[1], "tail of the long line\r\nafter\r\n");
	check_line(&io, "after", false);
	io_release(&io);
	close(sv[0]);
	close(sv[1]);
}

static void check_piece(struct smtp_io *io, const char *want, bool whole, bool bare_lf)
{
	struct io_line l;
	bool got_whole = !whole;
	int r = io_read_piece(io, 1000, &l, &got_whole);

	CHECK_INT(r, 0);
	if (r == 0) {
		CHECK_STR(l.s, want);
		CHECK_INT(l.len, strlen(want));
		CHECK_INT(got_whole, whole);
		CHECK_INT(l.bare_lf, bare_lf);
	}
}

/* message text: a long line comes in parts, nothing of it is lost */
static void test_pieces(void)
{
	int sv[2];
	struct smtp_io io;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	io_init(&io, sv[0], sv[0], 10);
	put(sv[1], "0123456789\r\n0123456789A\r\nshort\n");
	check_piece(&io, "0123456789", true, false);
	check_piece(&io, "0123456789", false, false);
	check_piece(&io, "A", true, false);
	check_piece(&io, "short", true, true);
	/* a CR at the end of a part stays with the LF after it */
	put(sv[1], "012345678\r\nabcdefghi\rjklmnopqrstuvwxyz\n");
	check_piece(&io, "012345678", true, false);
	check_piece(&io, "abcdefghi", false, false);
	check_piece(&io, "\rjklmnopqr", false, false);
	check_piece(&io, "stuvwxyz", true, true);
	/* arriving a byte at a time */
	for (const char *p = "0123456789abcdefghij.\r\n"; *p; p++)
		CHECK(write(sv[1], p, 1) == 1);
	check_piece(&io, "0123456789", false, false);
	check_piece(&io, "abcdefghij", false, false);
	check_piece(&io, ".", true, false);
	CHECK_INT(io_pending(&io), 0);
	io_release(&io);
	close(sv[0]);
	close(sv[1]);
}

static void test_timeout_and_eof(void)
{
	int sv[2];
	struct smtp_io io;
	struct io_line l;
	struct timespec t0;
	long long ms;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	io_init(&io, sv[0], sv[0], 100);
	put(sv[1], "partial");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(io_read_line(&io, 150, &l), -ETIMEDOUT);
	ms = ms_since(&t0);
	CHECK(ms >= 140 && ms < 1000);
	CHECK_INT(io_read_line(&io, 0, &l), -ETIMEDOUT); /* 0: no waiting */
	put(sv[1], " line\n");
	check_line(&io, "partial line", true);
	/* end of input, also in the middle of a line */
	put(sv[1], "last\nunterminated");
	close(sv[1]);
	check_line(&io, "last", true);
	CHECK_INT(io_read_line(&io, 1000, &l), -ECONNRESET);
	CHECK_INT(io_read_line(&io, 1000, &l), -ECONNRESET);
	io_release(&io);
	close(sv[0]);
}

static void test_write_and_flush(void)
{
	int sv[2];
	struct smtp_io io;
	size_t big_size = 8 << 20; /* more than any socket buffer */
	char buf[256], *big;
	int r;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	io_init(&io, sv[0], sv[0], 100);
	CHECK_INT(io_write(&io, "MAIL From:<a>\r\n", 15, 1000), 0);
	CHECK_INT(io_write(&io, "RCPT To:<b>\r\n", 13, 1000), 0);
	CHECK_INT(io_unflushed(&io), 28); /* nothing sent before the flush */
	CHECK_INT(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), -1);
	CHECK_INT(io_flush(&io, 1000), 0);
	CHECK_INT(io_unflushed(&io), 0);
	CHECK_INT(recv(sv[1], buf, sizeof(buf), 0), 28); /* one piece */
	CHECK(memcmp(buf, "MAIL From:<a>\r\nRCPT To:<b>\r\n", 28) == 0);
	/* a peer that does not read: the flush times out, the rest stays queued */
	big = xmalloc(big_size);
	memset(big, 'b', big_size);
	r = io_write(&io, big, big_size, 200);
	CHECK_INT(r, -ETIMEDOUT);
	CHECK(io_unflushed(&io) > 0 && io_unflushed(&io) < big_size);
	free(big);
	/* a closed peer: reset, and no SIGPIPE kills us */
	close(sv[1]);
	CHECK_INT(io_flush(&io, 1000), -ECONNRESET);
	io_release(&io);
	close(sv[0]);
}

static void test_pipes(void)
{
	int in[2], out[2];
	struct smtp_io io;
	char buf[64];

	/* `sendmail -bs` style: two descriptors that are not sockets */
	CHECK(pipe(in) == 0 && pipe(out) == 0);
	io_init(&io, in[0], out[1], 100);
	put(in[1], "HELO x\r\n");
	check_line(&io, "HELO x", false);
	CHECK_INT(io_write(&io, "250 ok\r\n", 8, 1000), 0);
	CHECK_INT(io_flush(&io, 1000), 0);
	CHECK_INT(read(out[0], buf, sizeof(buf)), 8);
	CHECK(memcmp(buf, "250 ok\r\n", 8) == 0);
	close(in[1]);
	struct io_line l;
	CHECK_INT(io_read_line(&io, 1000, &l), -ECONNRESET);
	io_release(&io);
	close(in[0]);
	close(out[0]);
	close(out[1]);
}

static void test_start_tls_refuses_pending_input(void)
{
	int sv[2];
	struct smtp_io io;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	io_init(&io, sv[0], sv[0], 100);
	put(sv[1], "220 go ahead\r\n250 injected\r\n");
	check_line(&io, "220 go ahead", false);
	/* the session pointer is never used when refused */
	CHECK_INT(io_start_tls(&io, (struct tls_session *)&io), -EPROTO);
	CHECK(io.tls == NULL);
	io_discard_input(&io);
	CHECK_INT(io_pending(&io), 0);
	io_release(&io);
	close(sv[0]);
	close(sv[1]);
}

static const struct test_case tests[] = {
	{"lines", test_lines},
	{"long_lines", test_long_lines},
	{"pieces", test_pieces},
	{"timeout_and_eof", test_timeout_and_eof},
	{"write_and_flush", test_write_and_flush},
	{"pipes", test_pipes},
	{"start_tls_refuses_pending_input", test_start_tls_refuses_pending_input},
};

int main(void)
{
	return RUN_TESTS(tests);
}
