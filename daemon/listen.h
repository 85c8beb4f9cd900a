/*
 * listen: the daemon's listening sockets.  Sockets systemd passes
 * (sd_listen_fds_with_names) are matched to the DaemonPortOptions entries
 * of the configuration — by the descriptor's name (the entry's Name=, or
 * "smtp", "submission", "smtps" for the ports 25, 587 and 465) or else by
 * the port the socket is bound to — so their order never matters; every
 * configured entry systemd did not pass is bound here (as `sendmail -bd`
 * does by hand).  Each listener carries its entry: Name= becomes
 * ${daemon_name}, M= the modifiers the session honours (s: TLS from the
 * first byte, E: no ETRN, S: no STARTTLS, a/A: AUTH).
 */
#ifndef SDMAIL_DAEMON_LISTEN_H
#define SDMAIL_DAEMON_LISTEN_H

#include <stdbool.h>

#include "cf/daemonopts.h"

struct cf;

struct listener {
	int fd;
	struct daemon_port port;
	bool from_systemd;
	char label[96]; /* "MTA 127.0.0.1:25" for messages */
};

/*
 * Open the listeners for `cf`.  Prints one line per problem to stderr
 * (an entry that cannot be bound, a passed socket that matches nothing —
 * kept with default settings).  Returns the number of listeners (> 0),
 * or -errno when there is none.
 */
int listeners_open(struct cf *cf, struct listener **out);
void listeners_close(struct listener *l, int n);

#endif
