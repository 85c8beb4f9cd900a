/*
 * daemonopts: DaemonPortOptions (and ClientPortOptions) values parsed into
 * what a listener needs — name, address family, address, port, modifier
 * letters (M=), listen backlog, socket buffer sizes, per-daemon limits
 * (children=, queueLA=, refuseLA=, delayLA=).  Keys are recognised by
 * their first letter, case and all, as sendmail does, and the
 * same messages are printed for bad families, services and hosts.
 */
#ifndef SDMAIL_CF_DAEMONOPTS_H
#define SDMAIL_CF_DAEMONOPTS_H

#include <stdbool.h>
#include <sys/socket.h>

struct cf;

struct daemon_port {
	char name[64];                /* Name= ("MTA", "MSA", "Daemon0") */
	int family;                   /* AF_INET, AF_INET6, AF_UNIX */
	struct sockaddr_storage addr; /* Addr= and Port= */
	socklen_t addrlen;
	int port;                     /* host order */
	char modifiers[64];           /* M= letters, e.g. "Ea" */
	int backlog;                  /* Listen= */
	int recv_buf, send_buf;       /* ReceiveBufferSize=, SendBufferSize= */
	int children;                 /* children= (MaxDaemonChildren per daemon) */
	/* queueLA=, refuseLA=, delayLA=: the load limits of the connections
	 * this daemon takes; 0 or less leaves the global option in force */
	int queue_la, refuse_la, delay_la;
	char delivery_mode;           /* DeliveryMode=, 0 for the global one */
	char *input_milters;          /* InputMailFilters= */
};

static inline bool daemon_has_modifier(const struct daemon_port *d, char m)
{
	for (const char *p = d->modifiers; *p; p++)
		if (*p == m)
			return true;
	return false;
}

/*
 * Parse one option value; `index` names unnamed daemons ("Daemon%d").
 * Prints sendmail's messages for bad values and returns false when the
 * entry cannot be used.
 */
bool daemonopts_parse(struct cf *cf, const char *spec, int index, struct daemon_port *d);
void daemonopts_free(struct daemon_port *d);

/*
 * sendmail's default listeners when no DaemonPortOptions are given: the
 * MTA on port 25 and the MSA on 587 (M=E) on all IPv4 addresses.
 */
int daemonopts_defaults(struct daemon_port *out, int max);

#endif
