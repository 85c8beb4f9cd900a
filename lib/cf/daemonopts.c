/*
 * daemonopts: DaemonPortOptions parsing (daemonopts.h).
 */
#include "cf/daemonopts.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "util/xalloc.h"

#define DEFAULT_BACKLOG 10

static void set_port(struct daemon_port *d, int port)
{
	d->port = port;
	if (d->family == AF_INET6)
		((struct sockaddr_in6 *)&d->addr)->sin6_port = htons((unsigned short)port);
	else if (d->family == AF_INET)
		((struct sockaddr_in *)&d->addr)->sin_port = htons((unsigned short)port);
}

static void set_family(struct daemon_port *d, int family)
{
	memset(&d->addr, 0, sizeof(d->addr));
	d->family = family;
	d->addr.ss_family = (sa_family_t)family;
	d->addrlen = family == AF_INET6 ? sizeof(struct sockaddr_in6)
		   : family == AF_UNIX ? sizeof(struct sockaddr_un)
				       : sizeof(struct sockaddr_in);
}

static bool parse_family(struct cf *cf, struct daemon_port *d, const char *v)
{
	if (strcasecmp(v, "inet") == 0)
		set_family(d, AF_INET);
	else if (strcasecmp(v, "inet6") == 0)
		set_family(d, AF_INET6);
	else if (strcasecmp(v, "local") == 0 || strcasecmp(v, "unix") == 0)
		set_family(d, AF_UNIX);
	else {
		cf_error(cf, EX_SOFTWARE, "Unknown address family %s in Family=option", v);
		return false;
	}
	return true;
}

static bool parse_port(struct cf *cf, struct daemon_port *d, const char *v)
{
	struct servent *se;
	if (isdigit((unsigned char)*v)) {
		set_port(d, atoi(v));
		return true;
	}
	se = getservbyname(v, "tcp");
	if (se == NULL) {
		cf_error(cf, EX_SOFTWARE, "service \"%s\" unknown", v);
		return false;
	}
	set_port(d, ntohs((unsigned short)se->s_port));
	return true;
}

static bool parse_addr(struct cf *cf, struct daemon_port *d, const char *v)
{
	struct addrinfo hints, *res = NULL;
	int rc, port = d->port;

	if (d->family == AF_UNIX) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&d->addr;
		snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", v);
		return true;
	}
	if (d->family == AF_INET6 &&
	    inet_pton(AF_INET6, v, &((struct sockaddr_in6 *)&d->addr)->sin6_addr) == 1)
		return true;
	if (d->family == AF_INET &&
	    inet_pton(AF_INET, v, &((struct sockaddr_in *)&d->addr)->sin_addr) == 1)
		return true;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = d->family;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(v, NULL, &hints, &res);
	if (rc != 0 || res == NULL) {
		cf_error(cf, EX_SOFTWARE, "host \"%s\" unknown: %s", v,
			 rc == EAI_AGAIN ? "Resource temporarily unavailable" : gai_strerror(rc));
		if (res)
			freeaddrinfo(res);
		return false;
	}
	memcpy(&d->addr, res->ai_addr, res->ai_addrlen);
	d->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	set_port(d, port);
	return true;
}

/* Split "Key=value, Key=value" and apply each by its first letter. */
bool daemonopts_parse(struct cf *cf, const char *spec, int index, struct daemon_port *d)
{
	char *copy = xstrdup(spec), *save = NULL, *item;
	bool ok = true;
	char *addr = NULL;

	memset(d, 0, sizeof(*d));
	set_family(d, AF_INET);
	((struct sockaddr_in *)&d->addr)->sin_addr.s_addr = htonl(INADDR_ANY);
	set_port(d, 25);
	d->backlog = DEFAULT_BACKLOG;
	snprintf(d->name, sizeof(d->name), "Daemon%d", index);

	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq, *v;
		while (isspace((unsigned char)*item))
			item++;
		eq = strchr(item, '=');
		if (*item == '\0')
			continue;
		v = eq ? eq + 1 : item + strlen(item);
		while (isspace((unsigned char)*v))
			v++;
		for (size_t l = strlen(v); l > 0 && isspace((unsigned char)v[l - 1]); l--)
			v[l - 1] = '\0';
		switch (*item) {
		case 'A': free(addr); addr = xstrdup(v); break;
		case 'F': ok = parse_family(cf, d, v) && ok; break;
		case 'L': d->backlog = atoi(v); break;
		case 'M': snprintf(d->modifiers, sizeof(d->modifiers), "%s", v); break;
		case 'N': snprintf(d->name, sizeof(d->name), "%s", v); break;
		case 'P': ok = parse_port(cf, d, v) && ok; break;
		case 'R': d->recv_buf = atoi(v); break;
		case 'S': d->send_buf = atoi(v); break;
		case 'c': d->children = atoi(v); break;
		case 'q': d->queue_la = atoi(v); break;
		case 'r': d->refuse_la = atoi(v); break;
		case 'd': d->delay_la = atoi(v); break;
		case 'D': d->delivery_mode = *v; break;
		case 'I': free(d->input_milters); d->input_milters = xstrdup(v); break;
		default: break; /* sendmail ignores keys it does not know */
		}
	}
	if (addr != NULL)
		ok = parse_addr(cf, d, addr) && ok;
	free(addr);
	free(copy);
	return ok;
}

void daemonopts_free(struct daemon_port *d)
{
	free(d->input_milters);
	d->input_milters = NULL;
}

int daemonopts_defaults(struct daemon_port *out, int max)
{
	if (max < 2)
		return 0;
	memset(out, 0, 2 * sizeof(*out));
	for (int i = 0; i < 2; i++) {
		set_family(&out[i], AF_INET);
		((struct sockaddr_in *)&out[i].addr)->sin_addr.s_addr = htonl(INADDR_ANY);
		out[i].backlog = DEFAULT_BACKLOG;
	}
	snprintf(out[0].name, sizeof(out[0].name), "MTA");
	set_port(&out[0], 25);
	snprintf(out[1].name, sizeof(out[1].name), "MSA");
	set_port(&out[1], 587);
	snprintf(out[1].modifiers, sizeof(out[1].modifiers), "E");
	return 2;
}
