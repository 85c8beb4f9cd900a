/*
 * resolve: host name resolution the way sendmail does it: the "hosts"
 * line of the service switch (/etc/mail/service.switch, else nsswitch.conf)
 * chooses between the hosts file and DNS; DNS queries go through the
 * system resolver (res_n*), so search domains and timeouts follow
 * resolv.conf.  Also reverse lookups for [address] literals (MX lookups
 * are deliver/mxroute's), and the generic record queries of the dns map.
 * Results report sysexits status: 0 found, EX_NOHOST not found,
 * EX_TEMPFAIL when a name server could not answer.
 */
#ifndef SDMAIL_DNS_RESOLVE_H
#define SDMAIL_DNS_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

struct cf;

/* Canonify `host` in place (buffer of `size`); returns a status. */
int dns_canonify(struct cf *cf, char *host, size_t size);

/*
 * res_ninit() for `rs` with ResolverOptions applied (the flags set and
 * cleared over what resolv.conf says): 0, or -1 as res_ninit.
 */
struct __res_state;
int dns_res_init(const struct cf *cf, struct __res_state *rs);

/*
 * ResolverOptions for the lookups of the C library (getaddrinfo: the
 * addresses of the hosts connected to), once the configuration is read.
 */
void dns_apply_options(const struct cf *cf);

/* Reverse-resolve an IPv4/IPv6 literal (no brackets, "IPv6:" allowed). */
int dns_reverse(struct cf *cf, const char *addr, char *out, size_t size);

void dns_free_list(char **list, int n);

/*
 * Query records of `type` ("A", "AAAA", "MX", "TXT", "PTR", "CNAME", "NS",
 * "SRV") for the dns map; answers as strings.
 */
int dns_query(struct cf *cf, const char *name, const char *type, char ***answers, int *n);

/* sendmail's shortenstring: long names become "first...last". */
void dns_shorten(const char *s, size_t max, char *out, size_t outsize);

#endif
