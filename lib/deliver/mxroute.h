/*
 * mxroute: which hosts an [IPC] mailer tries for the host it was given,
 * in sendmail 8.17's order.  A host in [brackets] is used as it is (no MX
 * lookup; the mailer's F=0 flag does the same); otherwise its MX records
 * are looked up through the resolver (resolv.conf): best preference first,
 * hosts of equal preference in an order that is random per host name and
 * per process (sendmail's spreading of load over equal MX hosts); this
 * host (a name in class w) and every MX host not better than it are
 * dropped, and when that leaves nothing the mail would loop back ("MX list
 * for H points back to $j", a configuration error, unless TryNullMXList
 * lets the host's own address be tried).  Without MX records the host
 * itself, canonified, is the route.  FallbackMXhost comes last: its own MX
 * hosts, or itself when written in brackets; when the name server cannot
 * be reached it is the only route.  What cannot be routed carries
 * sendmail's status and words: EX_NOHOST "Host unknown (Name server: H:
 * host not found)", EX_TEMPFAIL for a name server that did not answer.
 * The answers themselves are parsed by the C library (ns_parserr).
 */
#ifndef SDMAIL_DELIVER_MXROUTE_H
#define SDMAIL_DELIVER_MXROUTE_H

#include <stdbool.h>
#include <stddef.h>

struct cf;

#define MXROUTE_MAX 100 /* sendmail's MAXMXHOSTS */

struct mx_route {
	char **hosts; /* names (with their trailing dot when from DNS) or "[literal]" */
	int n;
	int status;    /* 0, or EX_NOHOST / EX_TEMPFAIL / EX_CONFIG: no route */
	char *problem; /* with a status: sendmail's text for it */
	bool mx_insecure; /* MX records without the AD bit: no DANE for their hosts */
};

/*
 * sendmail's getmxrr: the hosts to try for `host` as described above;
 * `droplocal` drops this host and worse, `fallback` appends
 * FallbackMXhost.  Returns the number of hosts (0 for a name without MX
 * or address records, r->status EX_NOHOST when it does not exist), or -1
 * with r->status EX_TEMPFAIL or EX_CONFIG (the -bt /mx command prints
 * either number).
 */
int mxroute_lookup(struct cf *cf, const char *host, bool droplocal, bool fallback,
                   struct mx_route *r);

/*
 * The route of a mailer's host (`use_mx` false for F=0 mailers): the
 * number of hosts, or -1 with r->status and r->problem.
 */
int mxroute_for_mailer(struct cf *cf, const char *host, bool use_mx, struct mx_route *r);

void mxroute_free(struct mx_route *r);

/*
 * The hosts of one DNS answer (`len` bytes, as the name server sent it),
 * ordered and with this host and worse dropped as above: their number,
 * or -1 for an answer that is not a DNS message or leaves nothing but
 * this host.  What mxroute_lookup does with an answer; the fuzzer's entry.
 */
int mxroute_parse_answer(struct cf *cf, const unsigned char *ans, int len, bool droplocal,
                         struct mx_route *r);

/*
 * sendmail's words for a host that could not be reached or looked up,
 * from a negative errno of net_connect: "Connection refused by H",
 * "Host unknown (Name server: H: host not found)", ...; *status gets the
 * sysexits code (EX_TEMPFAIL, EX_NOHOST), *dsn the RFC 3463 code.
 */
void mxroute_connect_error(int err, const char *host, char *out, size_t size, int *status,
                           const char **dsn);

#endif
