/*
 * conn: one filter as the configuration declares it (an X line: its
 * socket, F= failure mode, T= timeouts, parsed the way sendmail reads
 * them) and the socket to it — connecting within the C timeout, writing
 * a packet within the S timeout, reading one reply packet within the R
 * (or E) timeout, never more than the negotiated maximum length.  No call
 * here can block past its deadline or allocate without bound, whatever
 * the filter does; failures come back as an explicit code that the
 * engine turns into sendmail's log text.
 */
#ifndef SDMAIL_MILTER_CONN_H
#define SDMAIL_MILTER_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cf;
struct milter_def;

enum milter_timeout {
	MILTER_TO_CONNECT, /* C: connecting, 5m; 0: the system's own */
	MILTER_TO_SEND,    /* S: writing a command, 10s */
	MILTER_TO_READ,    /* R: reading a reply, 10s */
	MILTER_TO_EOM,     /* E: end of message to final reply, 5m (as in sendmail
	                    * 8.17.1 R still bounds each read there; E is looked
	                    * at when progress or changes arrive) */
	MILTER_TO_COUNT,
};

/* What a filter does to a session when it cannot be used (F=). */
enum milter_fail_mode {
	MILTER_FAIL_PASS,     /* no F=R/T: go on as if it were not there */
	MILTER_FAIL_REJECT,   /* F=R */
	MILTER_FAIL_TEMPFAIL, /* F=T */
	MILTER_FAIL_SHUTDOWN, /* F=4: 421 and close the connection */
};

struct milter_filter {
	char *name;
	char *socket; /* S= as written */
	int family;   /* AF_UNIX, AF_INET, AF_INET6; 0 unusable */
	char *path;   /* AF_UNIX */
	char *host;   /* AF_INET(6): name or address */
	unsigned port;
	enum milter_fail_mode fail;
	int timeout_ms[MILTER_TO_COUNT];
	char *socket_error; /* why S= cannot be used, or NULL */
};

/*
 * Fill `f` from an X line definition.  Sendmail's defaults apply to
 * missing T= fields; a malformed S= leaves family 0 and a reason.
 */
void milter_filter_from_def(struct cf *cf, const struct milter_def *def, struct milter_filter *f);
void milter_filter_free(struct milter_filter *f);

enum milter_io {
	MIO_OK = 0,
	MIO_TIMEOUT_BEFORE, /* nothing arrived in time */
	MIO_TIMEOUT_IN,     /* a packet stopped arriving half way */
	MIO_EOF,            /* the filter closed the connection */
	MIO_ERROR,          /* read/write failed (errno in conn->err) */
	MIO_TOO_LONG,       /* a packet longer than allowed */
	MIO_EMPTY,          /* a packet without command byte */
};

struct milter_conn {
	int fd;
	int err;          /* errno of the last failure */
	size_t got;       /* bytes of the packet read before a failure */
	size_t want;      /* bytes that were expected */
	uint32_t bad_len; /* MIO_TOO_LONG: the announced length */
	/* the last packet read: data[len] is always NUL */
	char cmd;
	char *data;
	size_t len;
	size_t cap;
};

void milter_conn_init(struct milter_conn *c);

/* Connect; returns 0, or a negative errno (-ETIMEDOUT after C). */
int milter_conn_open(struct milter_conn *c, const struct milter_filter *f);
void milter_conn_close(struct milter_conn *c);

/* Write all of buf within timeout_ms. */
enum milter_io milter_conn_write(struct milter_conn *c, const char *buf, size_t len,
                                 int timeout_ms);

/* Read one packet within timeout_ms, at most max_data data bytes. */
enum milter_io milter_conn_read(struct milter_conn *c, int timeout_ms, size_t max_data);

#endif
