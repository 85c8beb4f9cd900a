/*
 * mboxfmt: one message in the form mail.local stores it in an mbox, built
 * in a spool file before any mailbox is touched.  The spool holds the
 * `From sender date` line, the message with CRLF turned into LF, every
 * line that begins with "From " quoted as ">From ", Content-Length header
 * lines removed from the header block, a newline added to an unterminated
 * last line, and the blank line that ends every mbox message.  What the
 * spool does not hold is the Content-Length header Debian's mail.local
 * puts at the end of the header block: its value (the body length) is only
 * known at the end, so mboxfmt_copy() inserts it while copying the spool
 * into a mailbox.  The formatter streams: a line of any length costs no
 * memory beyond a 16-byte look-ahead.
 */
#ifndef SDMAIL_LOCAL_MBOXFMT_H
#define SDMAIL_LOCAL_MBOXFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* "content-length:" is the longest prefix a decision needs. */
#define MBOXFMT_LOOKAHEAD 15

struct mboxfmt {
	int fd;              /* the spool: written sequentially from offset 0 */
	off_t offset;        /* bytes written so far (including buffered ones) */
	off_t header_end;    /* where the Content-Length header goes; -1 until known */
	off_t body_start;    /* first byte after the blank separator line; -1: none */
	off_t body_len;      /* Content-Length, final after mboxfmt_finish() */
	int error;           /* first write error (positive errno), sticky */
	bool in_body;
	bool line_start;     /* the next byte begins a line */
	bool decided;        /* the current line's prefix has been judged */
	bool dropping;       /* inside a removed Content-Length header */
	bool pending_cr;     /* a CR waiting to see whether LF follows */
	size_t ahead_len;
	char ahead[MBOXFMT_LOOKAHEAD];
	size_t out_len;
	char out[16384];
};

/*
 * Start a message in the spool fd (empty, positioned at 0): writes the
 * From_ line, `From SENDER DATE`, DATE as ctime(3) prints `now` in local
 * time.  CR and LF in the sender become '?' so that no sender can add a
 * line to the mailbox.
 */
void mboxfmt_begin(struct mboxfmt *f, int fd, const char *sender, time_t now);
/* Add message bytes (any split, any line ending). */
void mboxfmt_feed(struct mboxfmt *f, const char *buf, size_t n);
/*
 * End the message: terminate the last line, add the closing blank line,
 * flush.  Returns 0, or -errno of the first write error.
 */
int mboxfmt_finish(struct mboxfmt *f);

/* The header line mboxfmt_copy() inserts, "Content-Length: N\n". */
size_t mboxfmt_length_header(const struct mboxfmt *f, char *buf, size_t size);

/*
 * Append the finished message from the spool to the mailbox fd (opened
 * O_APPEND): spool[0, header_end) + Content-Length header + the rest.
 * Reads the spool with pread, so several copies can share one spool.
 * Returns 0, -errno of a failed write (the mailbox may then hold part of
 * the message: the caller truncates), or -EIO when the spool reads short.
 */
int mboxfmt_copy(const struct mboxfmt *f, int mailbox_fd);

/* Total bytes mboxfmt_copy() appends. */
off_t mboxfmt_copied_size(const struct mboxfmt *f);

#endif
