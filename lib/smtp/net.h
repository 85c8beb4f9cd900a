/*
 * net: opening the TCP connection to a mail host.  Hosts are written the
 * way sendmail's mailers receive them: a name ("mx.example.org", resolved
 * with getaddrinfo, every address tried in turn), an address literal
 * ("[192.0.2.1]", "[IPv6:2001:db8::1]", RFC 5321 4.1.3), or a bracketed
 * name ("[mx.example.org]": a name used without MX lookup, which is the
 * caller's business anyway).  Each connect(2) waits at most the timeout
 * (sendmail's Timeout.connect).  The socket is non-blocking, close-on-exec
 * and has TCP_NODELAY: sdmail writes whole command groups itself.
 */
#ifndef SDMAIL_SMTP_NET_H
#define SDMAIL_SMTP_NET_H

#include <stdbool.h>
#include <stddef.h>

#define NET_NAME_MAX 256
#define NET_ADDR_MAX 46 /* INET6_ADDRSTRLEN */

struct net_target {
	char name[NET_NAME_MAX]; /* what to resolve: the address or the name */
	int family;		 /* AF_INET, AF_INET6 for literals; AF_UNSPEC for names */
	bool literal;		 /* an address literal (numeric, no lookup) */
};

/* Parse a host as described above; -EINVAL for a malformed one. */
int net_parse_host(const char *host, struct net_target *t);

/*
 * Connect to host:port.  Returns the socket, or -ENOENT (no such host),
 * -ENODATA (a name without addresses), -EAGAIN (name service temporarily
 * failing), -EINVAL (bad host), or the error of the last address tried
 * (-ECONNREFUSED, -ETIMEDOUT, ...).  With ret_addr (NET_ADDR_MAX bytes)
 * given, the numeric address connected to, or after a failure the last
 * one tried ("" when none was).
 */
int net_connect(const char *host, unsigned port, int timeout_ms, char *ret_addr);

#endif
