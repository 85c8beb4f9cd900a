/*
 * fuzz-mboxfmt: arbitrary bytes as a message mail.local stores.  The
 * message is formatted twice, once in one piece and once cut at places the
 * first bytes choose, and copied into a mailbox (memory files).  Both
 * spools must be identical (the formatter streams), and the mailbox must
 * hold one mbox message: the From_ line first, no other line beginning
 * with "From ", one Content-Length header before the blank line that
 * ends the header block, whose value is the length of the body, and the
 * blank line that ends the message; its size is what mboxfmt says.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "local/mboxfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *contents(int fd, off_t *len)
{
	*len = lseek(fd, 0, SEEK_END);
	char *buf = malloc((size_t)*len + 1);
	if (buf == NULL || pread(fd, buf, (size_t)*len, 0) != (ssize_t)*len)
		abort();
	buf[*len] = '\0';
	return buf;
}

static void format(struct mboxfmt *f, int fd, const char *msg, size_t n, const uint8_t *cuts,
		   size_t ncuts)
{
	size_t i = 0, c = 0;
	mboxfmt_begin(f, fd, "fuzz@example.org", 0);
	while (i < n) {
		size_t k = ncuts ? (size_t)cuts[c++ % ncuts] % 23 + 1 : n;
		if (k > n - i)
			k = n - i;
		mboxfmt_feed(f, msg + i, k);
		i += k;
	}
	if (mboxfmt_finish(f) != 0)
		abort();
}

static void check_mailbox(const struct mboxfmt *f, const char *box, off_t len)
{
	if (len != mboxfmt_copied_size(f) || len < 7 || memcmp(box, "From ", 5) != 0)
		abort();
	if (box[len - 1] != '\n' || box[len - 2] != '\n')
		abort();
	const char *p = memchr(box, '\n', (size_t)len) + 1, *end = box + len;
	bool in_header = true;
	int lengths = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			abort(); /* every line ends */
		if (end - p >= 5 && memcmp(p, "From ", 5) == 0)
			abort();
		if (in_header && nl == p) {
			in_header = false;
			/* the body: up to the final blank line */
			if (end - (nl + 1) - 1 != f->body_len && !(f->body_len == 0 && nl + 1 == end))
				abort();
		} else if (in_header && strncmp(p, "Content-Length: ", 16) == 0) {
			if (strtoll(p + 16, NULL, 10) != (long long)f->body_len)
				abort();
			lengths++;
		}
		p = nl + 1;
	}
	if (lengths != 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* message bytes carry no NUL here: mail.local's lines are C strings */
	size_t ncuts = size > 0 ? data[0] % 8 : 0;
	if (ncuts + 1 > size)
		return 0;
	const uint8_t *cuts = data + 1;
	const char *msg = (const char *)data + 1 + ncuts;
	size_t n = size - 1 - ncuts;
	if (memchr(msg, '\0', n) != NULL)
		return 0;
	static struct mboxfmt whole, pieces;
	int a = memfd_create("whole", 0), b = memfd_create("pieces", 0), box = memfd_create("box", 0);
	if (a < 0 || b < 0 || box < 0)
		abort();
	format(&whole, a, msg, n, NULL, 0);
	format(&pieces, b, msg, n, cuts, ncuts);
	off_t la, lb, lbox;
	char *sa = contents(a, &la), *sb = contents(b, &lb);
	if (la != lb || memcmp(sa, sb, (size_t)la) != 0 || whole.header_end != pieces.header_end ||
	    whole.body_len != pieces.body_len)
		abort();
	if (mboxfmt_copy(&whole, box) != 0)
		abort();
	char *sbox = contents(box, &lbox);
	check_mailbox(&whole, sbox, lbox);
	free(sa);
	free(sb);
	free(sbox);
	close(a);
	close(b);
	close(box);
	return 0;
}
