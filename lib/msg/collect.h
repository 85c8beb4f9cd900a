/*
 * collect: reading a message into an envelope and its data file — the
 * header section (folded lines kept, "Name : value" normalised, a first
 * "From " line dropped, the first line that is no header starting the
 * body) and the body (CRLF turned into LF, written to the df file as is,
 * a missing final newline kept missing).  The end is EOF, or a lone "."
 * unless dots are ignored (-i); in SMTP mode leading dots are unstuffed.
 * NUL bytes and oversized messages are detected (sendmail's RejectNUL and
 * MaxMessageSize); everything is still read so the caller can answer.
 */
#ifndef SDMAIL_MSG_COLLECT_H
#define SDMAIL_MSG_COLLECT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct envelope;

/* Where lines come from: *line (without terminator), its length;
 * *terminated is false for a part of a line whose rest comes next (a long
 * line read in parts) or a last line without newline.  Returns -1 at EOF,
 * -2 on error (errno set). */
struct collect_source {
	ssize_t (*read_line)(void *arg, char **line, bool *terminated);
	void *arg;
};

/* A source reading a FILE* with getline (the caller owns the FILE). */
struct collect_file_source {
	FILE *f;
	char *buf;
	size_t cap;
};
void collect_file_source_init(struct collect_file_source *s, FILE *f, struct collect_source *src);
void collect_file_source_free(struct collect_file_source *s);

struct collect_opts {
	bool ignore_dots;      /* -i / IgnoreDots: "." does not end the message */
	bool smtp;             /* SMTP DATA: "." ends, a leading dot is removed */
	bool reject_nul;       /* RejectNUL */
	bool save_from_line;   /* SaveFromLine: keep a leading "From " line */
	long long max_size;    /* MaxMessageSize, 0 for none */
	long long max_headers; /* MaxHeadersLength, 0 for none */
	bool seven_bit;        /* SevenBitInput or -B 7BIT: the 8th bit of every byte is cleared */
};

enum collect_status {
	COLLECT_OK = 0,
	COLLECT_TOO_BIG,
	COLLECT_HEADERS_TOO_BIG, /* over MaxHeadersLength (what came after is dropped) */
	COLLECT_NUL,
	COLLECT_IO_ERROR,    /* reading the input failed (the client is gone) */
	COLLECT_WRITE_ERROR, /* writing the data file failed: write_errno says why */
};

struct collect_result {
	enum collect_status status;
	long long header_bytes; /* as sendmail counts them, LF line ends */
	long long body_bytes;
	bool eight_bit;         /* a byte >= 0x80 in the body or a header */
	int write_errno;        /* with COLLECT_WRITE_ERROR: ENOSPC, EDQUOT, EIO... */
};

/* Read a message; headers go to e->headers, the body to df. */
int collect_message(const struct collect_source *src, FILE *df, struct envelope *e,
		    const struct collect_opts *o, struct collect_result *r);

#endif
