/*
 * listen: listening sockets from systemd or bound here (listen.h).
 */
#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "cf/cf.h"
#include "cf/options.h"
#include "util/xalloc.h"

#define MAX_LISTENERS 64

static int socket_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -1;
}

static int well_known_port(const char *fdname)
{
	if (strcasecmp(fdname, "smtp") == 0)
		return 25;
	if (strcasecmp(fdname, "submission") == 0)
		return 587;
	if (strcasecmp(fdname, "smtps") == 0 || strcasecmp(fdname, "submissions") == 0)
		return 465;
	return -1;
}

static void label(struct listener *l)
{
	char addr[INET6_ADDRSTRLEN] = "*";
	const struct sockaddr_storage *ss = &l->port.addr;
	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, addr, sizeof(addr));
	else if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, addr, sizeof(addr));
	snprintf(l->label, sizeof(l->label), "%s %s:%d", l->port.name, addr, l->port.port);
}

/* The configured entries (sendmail's defaults when there are none). */
static int configured_ports(struct cf *cf, struct daemon_port *ports)
{
	int n = 0;
	for (int i = 0; i < cf->opt.ndaemons && n < MAX_LISTENERS; i++)
		if (daemonopts_parse(cf, cf->opt.daemons[i].spec, i, &ports[n]))
			n++;
	if (cf->opt.ndaemons == 0)
		n = daemonopts_defaults(ports, MAX_LISTENERS);
	return n;
}

/* Which configured entry a passed socket belongs to, -1 for none. */
static int match_passed(int fd, const char *fdname, const struct daemon_port *ports, int n,
			const bool *taken)
{
	int port = socket_port(fd), known = well_known_port(fdname);
	for (int i = 0; i < n; i++)
		if (!taken[i] && strcasecmp(ports[i].name, fdname) == 0)
			return i;
	for (int i = 0; i < n; i++)
		if (!taken[i] && known > 0 && ports[i].port == known)
			return i;
	for (int i = 0; i < n; i++)
		if (!taken[i] && ports[i].port == port)
			return i;
	return -1;
}

static int bind_port(const struct daemon_port *p)
{
	int one = 1, fd = socket(p->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (p->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&p->addr, p->addrlen) != 0 ||
	    listen(fd, p->backlog > 0 ? p->backlog : 10) != 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int listeners_open(struct cf *cf, struct listener **out)
{
	struct daemon_port *ports = xcalloc(MAX_LISTENERS, sizeof(*ports));
	bool taken[MAX_LISTENERS] = {false};
	struct listener *l = xcalloc(2 * MAX_LISTENERS, sizeof(*l));
	char **names = NULL;
	int nports = configured_ports(cf, ports), n = 0;
	int passed = sd_listen_fds_with_names(1, &names);

	for (int i = 0; i < passed && n < MAX_LISTENERS; i++) {
		int fd = SD_LISTEN_FDS_START + i;
		const char *name = names && names[i] ? names[i] : "unknown";
		int k = match_passed(fd, name, ports, nports, taken);
		l[n].fd = fd;
		l[n].from_systemd = true;
		if (k >= 0) {
			taken[k] = true;
			l[n].port = ports[k];
		} else {
			/* a socket the configuration does not describe: serve it as
			 * a plain MTA port rather than leave clients hanging */
			snprintf(l[n].port.name, sizeof(l[n].port.name), "%s", name);
			l[n].port.port = socket_port(fd);
			fprintf(stderr, "sm-mta: socket \"%s\" (port %d) matches no DaemonPortOptions; "
					"serving it as an MTA port\n", name, l[n].port.port);
		}
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		label(&l[n]);
		n++;
	}
	for (int k = 0; k < nports; k++) {
		int fd;
		if (taken[k])
			continue;
		fd = bind_port(&ports[k]);
		if (fd < 0) {
			struct listener tmp = {.port = ports[k]};
			label(&tmp);
			fprintf(stderr, "sm-mta: cannot listen on %s: %s\n", tmp.label,
				strerror(-fd));
			daemonopts_free(&ports[k]);
			continue;
		}
		l[n].fd = fd;
		l[n].port = ports[k];
		label(&l[n]);
		n++;
	}
	if (names) {
		for (int i = 0; i < passed; i++)
			free(names[i]);
		free(names);
	}
	free(ports);
	if (n == 0) {
		free(l);
		return -EADDRNOTAVAIL;
	}
	*out = l;
	return n;
}

void listeners_close(struct listener *l, int n)
{
	for (int i = 0; i < n; i++) {
		close(l[i].fd);
		daemonopts_free(&l[i].port);
	}
	free(l);
}
