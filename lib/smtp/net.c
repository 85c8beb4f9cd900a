/*
 * net: host parsing and connecting with a timeout (net.h).
 */
#include "smtp/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/deadline.h"

static int copy_name(struct net_target *t, const char *p, size_t n)
{
	if (n == 0 || n >= sizeof(t->name))
		return -EINVAL;
	memcpy(t->name, p, n);
	t->name[n] = '\0';
	return 0;
}

int net_parse_host(const char *host, struct net_target *t)
{
	unsigned char addr[16];
	size_t n = strlen(host);

	memset(t, 0, sizeof(*t));
	t->family = AF_UNSPEC;
	if (n == 0 || strpbrk(host, " \t\r\n") != NULL)
		return -EINVAL;
	if (host[0] != '[') {
		if (strchr(host, ']') != NULL)
			return -EINVAL;
		return copy_name(t, host, n);
	}
	if (host[n - 1] != ']' || copy_name(t, host + 1, n - 2) < 0)
		return -EINVAL;
	if (strncasecmp(t->name, "IPv6:", 5) == 0) {
		memmove(t->name, t->name + 5, strlen(t->name + 5) + 1);
		if (inet_pton(AF_INET6, t->name, addr) != 1)
			return -EINVAL;
		t->family = AF_INET6;
		t->literal = true;
	} else if (inet_pton(AF_INET, t->name, addr) == 1) {
		t->family = AF_INET;
		t->literal = true;
	} else if (strchr(t->name, ':') != NULL || strchr(t->name, '[') != NULL ||
		   strspn(t->name, "0123456789.") == strlen(t->name)) {
		return -EINVAL; /* IPv6 without its tag, a bad IPv4 literal, brackets */
	}
	return 0;
}

/*
 * An MX name ends in a dot ("mx.example.", as sendmail shows it), which
 * glibc's hosts file lookup does not match: `out` is the name without it.
 */
static bool retry_without_dot(const char *host, char *out, size_t size)
{
	size_t n = strlen(host);

	if (n < 2 || host[n - 1] != '.' || n > size)
		return false;
	snprintf(out, size, "%.*s", (int)(n - 1), host);
	return true;
}

static int resolve(const struct net_target *t, unsigned port, struct addrinfo **res)
{
	struct addrinfo hints;
	char service[8], name[sizeof(t->name)];
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = t->family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (t->literal ? AI_NUMERICHOST : 0);
	snprintf(service, sizeof(service), "%u", port);
	r = getaddrinfo(t->name, service, &hints, res);
	if ((r == EAI_NONAME || r == EAI_AGAIN) && !t->literal &&
	    retry_without_dot(t->name, name, sizeof(name)))
		r = getaddrinfo(name, service, &hints, res);
	switch (r) {
	case 0:
		return 0;
	case EAI_NONAME:
	case EAI_ADDRFAMILY:
		return -ENOENT;
	case EAI_NODATA:
		return -ENODATA;
	case EAI_AGAIN:
		return -EAGAIN;
	case EAI_MEMORY:
		return -ENOMEM;
	case EAI_SYSTEM:
		return errno ? -errno : -EIO;
	default:
		return -EINVAL;
	}
}

/* One connect(2) with a timeout: the socket or a negative errno. */
static int connect_one(const struct addrinfo *ai, int timeout_ms)
{
	struct deadline d;
	int fd, err = 0, one = 1;
	socklen_t len = sizeof(err);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	deadline_start(&d, timeout_ms);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			err = -errno;
		} else if ((err = deadline_poll(fd, POLLOUT, &d)) == 0) {
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
				err = errno;
			err = -err;
		}
	}
	if (err < 0) {
		close(fd);
		return err;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void addr_text(const struct addrinfo *ai, char *out)
{
	const void *a = ai->ai_family == AF_INET6
			    ? (const void *)&((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
			    : (const void *)&((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
	if (inet_ntop(ai->ai_family, a, out, NET_ADDR_MAX) == NULL)
		out[0] = '\0';
}

int net_connect(const char *host, unsigned port, int timeout_ms, char *ret_addr)
{
	struct net_target t;
	struct addrinfo *res, *ai;
	int r, fd = -EHOSTUNREACH;

	if (ret_addr != NULL)
		ret_addr[0] = '\0';
	if (port == 0 || port > 65535)
		return -EINVAL;
	if ((r = net_parse_host(host, &t)) < 0)
		return r;
	if ((r = resolve(&t, port, &res)) < 0)
		return r;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		fd = connect_one(ai, timeout_ms);
		if (ret_addr != NULL)
			addr_text(ai, ret_addr);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	return fd;
}
