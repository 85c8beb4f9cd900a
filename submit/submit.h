/*
 * submit: sendmail's default mode — take a message from standard input
 * for the recipients on the command line (or in its headers with -t),
 * queue it durably in the client queue, and hand it to the MTA as the
 * configuration says (DeliveryMode: interactive, background, queue only,
 * defer).  When the client queue cannot be used (privileges given up for
 * -C or an unsafe option, or a caller without the smmsp group, e.g. under
 * NoNewPrivileges) the message goes straight to the MTA; if that fails
 * too the command exits 75 with one line and the message is not lost
 * silently: the caller is told it was not taken.  Once the message is
 * taken, its from= line is logged (log/events.h), as sendmail's MSP does.
 */
#ifndef SDMAIL_SUBMIT_SUBMIT_H
#define SDMAIL_SUBMIT_SUBMIT_H

#include <stdio.h>

struct cf;
struct invocation;
struct privs;

int submit_run(struct cf *cf, const struct invocation *inv, struct privs *pv, FILE *in);

#endif
