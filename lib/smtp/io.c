/*
 * io: buffered SMTP line I/O over plain descriptors or TLS (io.h).
 */
#include "smtp/io.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls/tls.h"
#include "util/deadline.h"
#include "util/xalloc.h"

#define IO_READ_ROOM 4096 /* room always left for a read after compaction */
#define IO_FLUSH_AT (32 * 1024)

void io_init(struct smtp_io *io, int rfd, int wfd, size_t line_max)
{
	memset(io, 0, sizeof(*io));
	io->rfd = rfd;
	io->wfd = wfd;
	io->line_max = line_max;
	io->in_cap = line_max + 2 + IO_READ_ROOM;
	io->in = xmalloc(io->in_cap);
	io->rsock = true;
	io->wsock = true;
}

void io_release(struct smtp_io *io)
{
	free(io->in);
	free(io->out);
	free(io->piece);
	memset(io, 0, sizeof(*io));
	io->rfd = io->wfd = -1;
}

size_t io_pending(const struct smtp_io *io)
{
	return io->in_len - io->in_pos;
}

void io_discard_input(struct smtp_io *io)
{
	io->in_pos = io->in_len = io->scanned = 0;
	io->skipping = false;
}

int io_start_tls(struct smtp_io *io, struct tls_session *tls)
{
	if (io_pending(io) > 0)
		return -EPROTO;
	io->tls = tls;
	return 0;
}

/* --- reading ------------------------------------------------------------- */

static ssize_t plain_read(struct smtp_io *io, void *buf, size_t n, const struct deadline *d)
{
	for (;;) {
		ssize_t r;
		int w;

		if (io->rsock) {
			r = recv(io->rfd, buf, n, MSG_DONTWAIT);
			if (r < 0 && errno == ENOTSOCK) {
				io->rsock = false;
				continue;
			}
		} else {
			if ((w = deadline_poll(io->rfd, POLLIN, d)) < 0)
				return w;
			r = read(io->rfd, buf, n);
		}
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if ((w = deadline_poll(io->rfd, POLLIN, d)) < 0)
			return w;
	}
}

/* Wait for what TLS needs next: a record read may have to write first (renegotiation, key update). */
static int tls_wait(struct smtp_io *io, const struct deadline *d)
{
	if (tls_wants_write(io->tls))
		return deadline_poll(io->wfd, POLLOUT, d);
	return deadline_poll(io->rfd, POLLIN, d);
}

static ssize_t tls_read(struct smtp_io *io, void *buf, size_t n, const struct deadline *d)
{
	for (;;) {
		ssize_t r = tls_recv(io->tls, buf, n);
		int w;

		if (r != -EAGAIN)
			return r;
		if ((w = tls_wait(io, d)) < 0)
			return w;
	}
}

/* Read more input behind what is buffered: >0 bytes, 0 at end, or -errno. */
static ssize_t fill(struct smtp_io *io, const struct deadline *d)
{
	size_t room;
	ssize_t r;

	if (io->in_pos > 0) {
		memmove(io->in, io->in + io->in_pos, io->in_len - io->in_pos);
		io->in_len -= io->in_pos;
		io->in_pos = 0;
	}
	room = io->in_cap - io->in_len;
	if (io->tls != NULL)
		r = tls_read(io, io->in + io->in_len, room, d);
	else
		r = plain_read(io, io->in + io->in_len, room, d);
	if (r > 0)
		io->in_len += (size_t)r;
	else if (r == 0)
		io->eof = true;
	return r;
}

/* A complete line ends at in[lf]; hand it out or skip it. */
static int take_line(struct smtp_io *io, size_t lf, struct io_line *ret)
{
	size_t start = io->in_pos, len = lf - start;
	bool cr = len > 0 && io->in[lf - 1] == '\r';

	io->in_pos = lf + 1;
	io->scanned = 0;
	if (cr)
		len--;
	if (len > io->line_max)
		return -EMSGSIZE;
	io->in[start + len] = '\0';
	ret->s = io->in + start;
	ret->len = len;
	ret->bare_lf = !cr;
	return 0;
}

/* Read until the unread bytes hold a line end (*lf: the LF) or at least
 * `enough` bytes without one (*lf NULL).  0, or -errno. */
static int fill_until_line(struct smtp_io *io, const struct deadline *d, size_t enough,
                           char **lf)
{
	for (;;) {
		size_t unread = io->in_len - io->in_pos;
		ssize_t r;

		*lf = memchr(io->in + io->in_pos + io->scanned, '\n', unread - io->scanned);
		if (*lf != NULL)
			return 0;
		io->scanned = unread;
		if (unread >= enough)
			return 0;
		if (io->eof)
			return -ECONNRESET;
		r = fill(io, d);
		if (r < 0)
			return (int)r;
	}
}

int io_read_line(struct smtp_io *io, int timeout_ms, struct io_line *ret)
{
	struct deadline d;

	deadline_start(&d, timeout_ms);
	for (;;) {
		char *lf;
		int rc = fill_until_line(io, &d, io->line_max + 2, &lf);
		bool first;

		if (rc < 0)
			return rc;
		if (lf != NULL && !io->skipping)
			return take_line(io, (size_t)(lf - io->in), ret);
		if (lf != NULL) {
			/* the end of the long line being skipped */
			io->skipping = false;
			io->in_pos = (size_t)(lf - io->in) + 1;
			io->scanned = 0;
			continue;
		}
		first = !io->skipping;
		io_discard_input(io);
		io->skipping = true;
		if (first)
			return -EMSGSIZE;
	}
}

/* The first n unread bytes as a part of a line, copied: the buffer holds
 * the rest of the line right after them, so it cannot be NUL-terminated */
static int take_piece(struct smtp_io *io, size_t n, struct io_line *ret)
{
	if (io->piece == NULL)
		io->piece = xmalloc(io->line_max + 1);
	memcpy(io->piece, io->in + io->in_pos, n);
	io->piece[n] = '\0';
	io->in_pos += n;
	io->scanned = 0;
	ret->s = io->piece;
	ret->len = n;
	ret->bare_lf = false;
	return 0;
}

int io_read_piece(struct smtp_io *io, int timeout_ms, struct io_line *ret, bool *whole)
{
	struct deadline d;
	char *lf;
	size_t n = io->line_max;
	int rc;

	deadline_start(&d, timeout_ms);
	rc = fill_until_line(io, &d, io->line_max + 1, &lf);
	if (rc < 0)
		return rc;
	if (lf != NULL) {
		size_t len = (size_t)(lf - (io->in + io->in_pos));
		if (len > 0 && lf[-1] == '\r')
			len--;
		if (len <= io->line_max) {
			*whole = true;
			return take_line(io, (size_t)(lf - io->in), ret);
		}
	}
	/* more than line_max bytes of this line are here */
	if (io->in[io->in_pos + n - 1] == '\r')
		n--; /* its LF may be next */
	*whole = false;
	return take_piece(io, n, ret);
}

/* --- writing ------------------------------------------------------------- */

static ssize_t plain_write(struct smtp_io *io, const char *p, size_t n, const struct deadline *d)
{
	for (;;) {
		ssize_t r;
		int w;

		if (io->wsock) {
			r = send(io->wfd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (r < 0 && errno == ENOTSOCK) {
				io->wsock = false;
				continue;
			}
		} else {
			if ((w = deadline_poll(io->wfd, POLLOUT, d)) < 0)
				return w;
			/* POLLOUT on a pipe promises PIPE_BUF bytes without blocking */
			r = write(io->wfd, p, n < PIPE_BUF ? n : PIPE_BUF);
		}
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno == EPIPE)
			return -ECONNRESET;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if ((w = deadline_poll(io->wfd, POLLOUT, d)) < 0)
			return w;
	}
}

static ssize_t tls_write(struct smtp_io *io, const char *p, size_t n, const struct deadline *d)
{
	for (;;) {
		ssize_t r = tls_send(io->tls, p, n);
		int w;

		if (r != -EAGAIN)
			return r;
		if ((w = tls_wait(io, d)) < 0)
			return w;
	}
}

int io_flush(struct smtp_io *io, int timeout_ms)
{
	struct deadline d;
	size_t done = 0;

	deadline_start(&d, timeout_ms);
	while (done < io->out_len) {
		const char *p = io->out + done;
		size_t n = io->out_len - done;
		ssize_t r = io->tls ? tls_write(io, p, n, &d) : plain_write(io, p, n, &d);

		if (r < 0) {
			/* keep the rest: TLS wants the same bytes again on retry */
			memmove(io->out, io->out + done, io->out_len - done);
			io->out_len -= done;
			return (int)r;
		}
		done += (size_t)r;
	}
	io->out_len = 0;
	return 0;
}

int io_write(struct smtp_io *io, const void *p, size_t n, int timeout_ms)
{
	if (n == 0)
		return 0;
	io->out = xgrow(io->out, &io->out_cap, io->out_len + n, 1);
	memcpy(io->out + io->out_len, p, n);
	io->out_len += n;
	if (io->out_len >= IO_FLUSH_AT)
		return io_flush(io, timeout_ms);
	return 0;
}

size_t io_unflushed(const struct smtp_io *io)
{
	return io->out_len;
}
