/*
 * mboxfmt: a message as mail.local stores it (see mboxfmt.h).
 */
#include "local/mboxfmt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/fdio.h"

static void flush_out(struct mboxfmt *f)
{
	size_t done = 0;
	while (done < f->out_len && f->error == 0) {
		ssize_t w = write(f->fd, f->out + done, f->out_len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			f->error = w < 0 ? errno : EIO;
		else
			done += (size_t)w;
	}
	f->out_len = 0;
}

static void emit(struct mboxfmt *f, const char *p, size_t n)
{
	f->offset += (off_t)n;
	while (n > 0) {
		size_t room = sizeof(f->out) - f->out_len;
		size_t k = n < room ? n : room;
		memcpy(f->out + f->out_len, p, k);
		f->out_len += k;
		p += k;
		n -= k;
		if (f->out_len == sizeof(f->out))
			flush_out(f);
	}
}

static void emit_c(struct mboxfmt *f, char c)
{
	emit(f, &c, 1);
}

void mboxfmt_begin(struct mboxfmt *f, int fd, const char *sender, time_t now)
{
	char date[32];
	struct tm tm;
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->header_end = -1;
	f->body_start = -1;
	f->line_start = true;
	localtime_r(&now, &tm);
	/* ctime(3)'s layout without its newline */
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm);
	emit(f, "From ", 5);
	for (const char *s = sender; *s; s++)
		emit_c(f, *s == '\n' || *s == '\r' ? '?' : *s);
	emit_c(f, ' ');
	emit(f, date, strlen(date));
	emit_c(f, '\n');
}

static bool is_length_header(const struct mboxfmt *f)
{
	static const char name[] = "content-length:";
	return f->ahead_len == sizeof(name) - 1 &&
	       strncasecmp(f->ahead, name, sizeof(name) - 1) == 0;
}

/* Judge the current line by its first bytes, then write them. */
static void decide(struct mboxfmt *f)
{
	if (!f->in_body) {
		bool continuation = f->ahead_len > 0 && (f->ahead[0] == ' ' || f->ahead[0] == '\t');
		if (!continuation)
			f->dropping = is_length_header(f);
	}
	f->decided = true;
	if (f->dropping)
		return;
	if (f->ahead_len >= 5 && memcmp(f->ahead, "From ", 5) == 0)
		emit_c(f, '>');
	emit(f, f->ahead, f->ahead_len);
}

static void end_line(struct mboxfmt *f)
{
	if (!f->in_body && !f->decided && f->ahead_len == 0) {
		/* the blank line that ends the header block */
		f->header_end = f->offset;
		emit_c(f, '\n');
		f->body_start = f->offset;
		f->in_body = true;
		f->dropping = false;
	} else {
		if (!f->decided)
			decide(f);
		if (!f->dropping)
			emit_c(f, '\n');
	}
	f->ahead_len = 0;
	f->decided = false;
	f->line_start = true;
}

static void content_byte(struct mboxfmt *f, char c)
{
	if (c == '\n') {
		end_line(f);
		return;
	}
	f->line_start = false;
	if (f->decided) {
		if (!f->dropping)
			emit_c(f, c);
		return;
	}
	f->ahead[f->ahead_len++] = c;
	if (f->ahead_len == MBOXFMT_LOOKAHEAD)
		decide(f);
}

void mboxfmt_feed(struct mboxfmt *f, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];
		if (f->pending_cr) {
			f->pending_cr = false;
			if (c != '\n')
				content_byte(f, '\r');
		}
		if (c == '\r') {
			f->pending_cr = true;
			continue;
		}
		/* the bulk of a body line goes straight through */
		if (f->decided && c != '\n') {
			size_t j = i;
			while (j < n && buf[j] != '\n' && buf[j] != '\r')
				j++;
			if (!f->dropping)
				emit(f, buf + i, j - i);
			i = j - 1;
			continue;
		}
		content_byte(f, c);
	}
}

int mboxfmt_finish(struct mboxfmt *f)
{
	if (f->pending_cr) {
		f->pending_cr = false;
		content_byte(f, '\r');
	}
	if (!f->line_start)
		content_byte(f, '\n');
	if (f->in_body) {
		f->body_len = f->offset - f->body_start;
	} else {
		f->header_end = f->offset;
		f->body_len = 0;
	}
	emit_c(f, '\n');
	flush_out(f);
	return f->error ? -f->error : 0;
}

size_t mboxfmt_length_header(const struct mboxfmt *f, char *buf, size_t size)
{
	int n = snprintf(buf, size, "Content-Length: %lld\n", (long long)f->body_len);
	return n < 0 ? 0 : (size_t)n;
}

off_t mboxfmt_copied_size(const struct mboxfmt *f)
{
	char hdr[64];
	return f->offset + (off_t)mboxfmt_length_header(f, hdr, sizeof(hdr));
}


/* Copy spool bytes [from, to) to fd. */
static int copy_range(int spool, int fd, off_t from, off_t to)
{
	char buf[65536];
	while (from < to) {
		size_t want = (size_t)(to - from) < sizeof(buf) ? (size_t)(to - from) : sizeof(buf);
		ssize_t r = pread(spool, buf, want, from);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EIO;
		int e = fd_write_all(fd, buf, (size_t)r);
		if (e < 0)
			return e;
		from += r;
	}
	return 0;
}

int mboxfmt_copy(const struct mboxfmt *f, int mailbox_fd)
{
	char hdr[64];
	size_t hlen = mboxfmt_length_header(f, hdr, sizeof(hdr));
	int e = copy_range(f->fd, mailbox_fd, 0, f->header_end);
	if (e == 0)
		e = fd_write_all(mailbox_fd, hdr, hlen);
	if (e == 0)
		e = copy_range(f->fd, mailbox_fd, f->header_end, f->offset);
	return e;
}
