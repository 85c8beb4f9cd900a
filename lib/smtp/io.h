/*
 * io: buffered line I/O for one SMTP connection, usable by the client and
 * by the server: a socket (or a pair of descriptors, as `sendmail -bs`
 * has on stdin/stdout), optionally through a TLS session.  Reading hands
 * out one line at a time (CRLF or bare LF, the terminator removed) with a
 * timeout per call and a hard length limit: a longer line is refused with
 * its own error and skipped, never buffered without bound.  Writing is
 * buffered so that a pipelined group of commands leaves in one segment,
 * and flushed with a timeout.  The descriptors' flags are never changed:
 * sockets are used with MSG_DONTWAIT and MSG_NOSIGNAL.  Errors are
 * negative errno values: -ETIMEDOUT, -EMSGSIZE (line too long),
 * -ECONNRESET (peer closed or reset), -EPROTO (TLS failure).
 */
#ifndef SDMAIL_SMTP_IO_H
#define SDMAIL_SMTP_IO_H

#include <stdbool.h>
#include <stddef.h>

struct tls_session;

struct io_line {
	char *s;      /* NUL-terminated, without CRLF/LF; valid until the next read */
	size_t len;   /* may differ from strlen(s) if the line holds NUL bytes */
	bool bare_lf; /* ended in LF alone, not CRLF */
};

struct smtp_io {
	int rfd, wfd;
	struct tls_session *tls; /* borrowed; NULL: plain text */
	size_t line_max;
	/* input: unread bytes are in[in_pos .. in_len) */
	char *in;
	size_t in_cap, in_pos, in_len, scanned;
	bool skipping; /* discarding the rest of an over-long line */
	char *piece;   /* io_read_piece's copy of a part of a long line */
	bool eof;
	bool rsock, wsock; /* usable with recv/send (else read/write after poll) */
	/* output not yet written */
	char *out;
	size_t out_len, out_cap;
};

/* Wrap descriptors (rfd == wfd for a socket); line_max: longest line
 * accepted, without its terminator.  The descriptors stay the caller's. */
void io_init(struct smtp_io *io, int rfd, int wfd, size_t line_max);
/* Free the buffers (unflushed output is dropped). */
void io_release(struct smtp_io *io);

/*
 * Read one line, waiting at most timeout_ms in total (< 0: no limit, 0:
 * only what is already there).  0 and *ret filled, or a negative errno.
 * After -EMSGSIZE the rest of the long line is skipped by the next call.
 */
int io_read_line(struct smtp_io *io, int timeout_ms, struct io_line *ret);

/*
 * Message text, where no line is too long: like io_read_line, but a line
 * longer than line_max comes in parts of at most line_max bytes; *whole
 * is false for every part but the last (which carries bare_lf).  A CR is
 * never separated from the LF after it.
 */
int io_read_piece(struct smtp_io *io, int timeout_ms, struct io_line *ret, bool *whole);

/* Bytes received but not yet returned as lines. */
size_t io_pending(const struct smtp_io *io);
/* Drop them (a server discards commands pipelined before STARTTLS). */
void io_discard_input(struct smtp_io *io);

/*
 * Continue through a TLS session whose handshake is done.  Refuses with
 * -EPROTO while plaintext input is buffered: bytes that came before the
 * handshake must never be read as if they were protected.
 */
int io_start_tls(struct smtp_io *io, struct tls_session *tls);

/* Queue bytes for sending; flushes (with timeout_ms) once enough piled up. */
int io_write(struct smtp_io *io, const void *p, size_t n, int timeout_ms);
/* Send everything queued within timeout_ms. */
int io_flush(struct smtp_io *io, int timeout_ms);
/* Bytes queued and not yet sent. */
size_t io_unflushed(const struct smtp_io *io);

#endif
