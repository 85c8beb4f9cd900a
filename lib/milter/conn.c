/*
 * conn: filter definitions and their sockets (conn.h).
 */
#include "milter/conn.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/milter.h"
#include "util/deadline.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* sendmail's defaults: T=C:5m;S:10s;R:10s;E:5m */
static const int default_timeout_ms[MILTER_TO_COUNT] = {300000, 10000, 10000, 300000};

static void parse_timeouts(struct cf *cf, const char *t, struct milter_filter *f)
{
	while (t != NULL && *t != '\0') {
		size_t n = strcspn(t, ";");
		char *field = xstrndup(t, n), *p = field, *colon;
		int which = -1;

		while (isspace((unsigned char)*p))
			p++;
		switch (*p) {
		case 'C':
			which = MILTER_TO_CONNECT;
			break;
		case 'S':
			which = MILTER_TO_SEND;
			break;
		case 'R':
			which = MILTER_TO_READ;
			break;
		case 'E':
			which = MILTER_TO_EOM;
			break;
		}
		colon = strchr(p, ':');
		if (which >= 0 && colon != NULL) {
			long long secs = option_convtime(cf, colon + 1, 's');
			if (secs < 0)
				secs = 0;
			if (secs > 86400 * 30)
				secs = 86400 * 30;
			f->timeout_ms[which] = (int)(secs * 1000);
		}
		free(field);
		t += n;
		if (*t == ';')
			t++;
	}
}

static int parse_port(const char *s, unsigned *port)
{
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	v = strtol(s, &end, 10);
	if (*end == '\0') {
		if (v <= 0 || v > 65535)
			return -1;
		*port = (unsigned)v;
		return 0;
	}
	struct servent *se = getservbyname(s, "tcp");
	if (se == NULL)
		return -1;
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

static void parse_socket(struct milter_filter *f)
{
	const char *s = f->socket, *colon = strchr(s, ':');
	struct strbuf why = STRBUF_INIT;

	if (colon == NULL || strncasecmp(s, "unix:", 5) == 0 || strncasecmp(s, "local:", 6) == 0) {
		const char *path = colon ? colon + 1 : s;
		if (*path != '/') {
			sb_printf(&why, "local socket name %s must be absolute", path);
			goto bad;
		}
		if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			sb_printf(&why, "local socket name %s too long", path);
			goto bad;
		}
		f->family = AF_UNIX;
		f->path = xstrdup(path);
		return;
	}
	if (strncasecmp(s, "inet:", 5) == 0 || strncasecmp(s, "inet6:", 6) == 0) {
		const char *spec = colon + 1, *at = strchr(spec, '@');
		char *port;
		const char *host;
		size_t hl;

		if (at == NULL) {
			sb_printf(&why, "bad address %s", spec);
			goto bad;
		}
		port = xstrndup(spec, (size_t)(at - spec));
		if (parse_port(port, &f->port) < 0) {
			sb_printf(&why, "invalid port number %s", port);
			free(port);
			goto bad;
		}
		free(port);
		host = at + 1;
		hl = strlen(host);
		if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
			host++;
			hl -= 2;
		}
		if (hl == 0) {
			sb_printf(&why, "bad address %s", spec);
			goto bad;
		}
		f->host = xstrndup(host, hl);
		f->family = s[4] == '6' ? AF_INET6 : AF_INET;
		return;
	}
	sb_printf(&why, "unknown socket type %.*s", (int)(colon - s), s);
bad:
	f->socket_error = sb_detach(&why);
}

void milter_filter_from_def(struct cf *cf, const struct milter_def *def, struct milter_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(def->name);
	f->socket = xstrdup(def->socket ? def->socket : "");
	memcpy(f->timeout_ms, default_timeout_ms, sizeof(f->timeout_ms));
	parse_timeouts(cf, def->timeouts, f);
	f->fail = MILTER_FAIL_PASS;
	for (const char *p = def->flags; p != NULL && *p; p++) {
		if (*p == 'R')
			f->fail = MILTER_FAIL_REJECT;
		else if (*p == 'T')
			f->fail = MILTER_FAIL_TEMPFAIL;
		else if (*p == '4')
			f->fail = MILTER_FAIL_SHUTDOWN;
	}
	parse_socket(f);
}

void milter_filter_free(struct milter_filter *f)
{
	free(f->name);
	free(f->socket);
	free(f->path);
	free(f->host);
	free(f->socket_error);
	memset(f, 0, sizeof(*f));
}

void milter_conn_init(struct milter_conn *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Non-blocking connect to one address, waiting against d. */
static int connect_addr(const struct sockaddr *sa, socklen_t len, const struct deadline *d)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc, err = 0;
	socklen_t el = sizeof(err);

	if (fd < 0)
		return -errno;
	if (connect(fd, sa, len) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EAGAIN) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = deadline_poll(fd, POLLOUT, d);
	if (rc == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0)
		return fd;
	close(fd);
	return rc < 0 ? rc : -(err ? err : EIO);
}

int milter_conn_open(struct milter_conn *c, const struct milter_filter *f)
{
	struct deadline d;
	int t = f->timeout_ms[MILTER_TO_CONNECT];

	/* C:0 leaves it to the system; still bounded, by the kernel's SYN retries */
	deadline_start(&d, t > 0 ? t : -1);
	milter_conn_close(c);
	c->err = 0;
	if (f->family == AF_UNIX) {
		struct sockaddr_un sun = {.sun_family = AF_UNIX};
		strcpy(sun.sun_path, f->path); /* length checked at parse time */
		int fd = connect_addr((struct sockaddr *)&sun, sizeof(sun), &d);
		if (fd < 0)
			return c->err = -fd, fd;
		c->fd = fd;
		return 0;
	}
	if (f->family != AF_INET && f->family != AF_INET6)
		return c->err = EINVAL, -EINVAL;

	struct addrinfo hints = {.ai_family = f->family, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	char port[8];
	int rc = -EHOSTUNREACH;

	snprintf(port, sizeof(port), "%u", f->port);
	if (getaddrinfo(f->host, port, &hints, &res) != 0 || res == NULL)
		return c->err = EHOSTUNREACH, -EHOSTUNREACH;
	for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		rc = connect_addr(ai->ai_addr, ai->ai_addrlen, &d);
		if (rc >= 0 || rc == -ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	if (rc < 0)
		return c->err = -rc, rc;
	c->fd = rc;
	return 0;
}

void milter_conn_close(struct milter_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

enum milter_io milter_conn_write(struct milter_conn *c, const char *buf, size_t len, int timeout_ms)
{
	struct deadline d;
	size_t off = 0;

	if (c->fd < 0)
		return c->err = EBADF, MIO_ERROR;
	deadline_start(&d, timeout_ms > 0 ? timeout_ms : -1);
	while (off < len) {
		ssize_t n = send(c->fd, buf + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			c->err = errno;
			return MIO_ERROR;
		}
		int rc = deadline_poll(c->fd, POLLOUT, &d);
		if (rc == -ETIMEDOUT)
			return off == 0 ? MIO_TIMEOUT_BEFORE : MIO_TIMEOUT_IN;
		if (rc < 0) {
			c->err = -rc;
			return MIO_ERROR;
		}
	}
	return MIO_OK;
}

/* Read exactly n bytes into buf against d. */
static enum milter_io read_exact(struct milter_conn *c, char *buf, size_t n,
                                 const struct deadline *d, bool started)
{
	size_t off = 0;

	c->got = 0;
	c->want = n;
	while (off < n) {
		ssize_t r = recv(c->fd, buf + off, n - off, 0);
		if (r > 0) {
			off += (size_t)r;
			c->got = off;
			continue;
		}
		if (r == 0)
			return MIO_EOF;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			c->err = errno;
			return MIO_ERROR;
		}
		int rc = deadline_poll(c->fd, POLLIN, d);
		if (rc == -ETIMEDOUT)
			return off == 0 && !started ? MIO_TIMEOUT_BEFORE : MIO_TIMEOUT_IN;
		if (rc < 0) {
			c->err = -rc;
			return MIO_ERROR;
		}
	}
	return MIO_OK;
}

enum milter_io milter_conn_read(struct milter_conn *c, int timeout_ms, size_t max_data)
{
	struct deadline d;
	unsigned char head[5];
	enum milter_io rc;
	uint32_t n;

	if (c->fd < 0)
		return c->err = EBADF, MIO_ERROR;
	deadline_start(&d, timeout_ms > 0 ? timeout_ms : -1);
	rc = read_exact(c, (char *)head, sizeof(head), &d, false);
	if (rc != MIO_OK)
		return rc;
	n = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3];
	if (n == 0)
		return MIO_EMPTY;
	if (n - 1 > max_data) {
		c->bad_len = n;
		return MIO_TOO_LONG;
	}
	c->cmd = (char)head[4];
	c->len = n - 1;
	if (c->len + 1 > c->cap) {
		c->cap = c->len + 1;
		c->data = xrealloc(c->data, c->cap);
	}
	rc = read_exact(c, c->data, c->len, &d, true);
	c->data[rc == MIO_OK ? c->len : 0] = '\0';
	return rc;
}
