/*
 * hostid: host identity detection (hostid.h).
 */
#include "cf/hostid.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/class.h"
#include "cf/macro.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void define_plain(struct cf *cf, int id, const char *value)
{
	macro_define(&cf->macros, id, value);
}

static void addr_literal(int family, const void *addr, char *out, size_t size)
{
	char buf[INET6_ADDRSTRLEN];
	inet_ntop(family, addr, buf, sizeof(buf));
	if (family == AF_INET6)
		snprintf(out, size, "[IPv6:%s]", buf);
	else
		snprintf(out, size, "[%s]", buf);
}

void hostid_setup(struct cf *cf)
{
	char name[1025] = "";
	struct utsname uts;
	struct hostent he, *hp = NULL;
	char hbuf[8192];
	int herr;
	char *dot;

	if (gethostname(name, sizeof(name) - 1) != 0)
		snprintf(name, sizeof(name), "localhost");
	if (gethostbyname_r(name, &he, hbuf, sizeof(hbuf), &hp, &herr) == 0 && hp != NULL) {
		/* prefer a qualified name from the host entry */
		if (strchr(name, '.') == NULL || strchr(hp->h_name, '.') != NULL) {
			if (strchr(hp->h_name, '.') != NULL)
				snprintf(name, sizeof(name), "%s", hp->h_name);
			else
				for (char **a = hp->h_aliases; a && *a; a++)
					if (strchr(*a, '.') != NULL) {
						snprintf(name, sizeof(name), "%s", *a);
						break;
					}
		}
	}

	define_plain(cf, 'j', name);
	class_add(cf->classes, 'w', name);
	if (dbg_on(&cf->dbg, 0, 4))
		fprintf(cf->out, "Canonical name: %s\n", name);
	dot = strchr(name, '.');
	if (dot != NULL && dot[1] != '\0') {
		define_plain(cf, 'm', dot + 1);
		class_add(cf->classes, 'm', dot + 1);
		*dot = '\0';
	}
	define_plain(cf, 'w', name);
	class_add(cf->classes, 'w', name);

	if (uname(&uts) == 0) {
		define_plain(cf, 'k', uts.nodename);
		if (dbg_on(&cf->dbg, 0, 4))
			fprintf(cf->out, " UUCP nodename: %s\n", uts.nodename);
	}

	if (hp != NULL) {
		for (char **a = hp->h_aliases; a && *a; a++) {
			if (dbg_on(&cf->dbg, 0, 4))
				fprintf(cf->out, "\ta.k.a.: %s\n", *a);
			class_add(cf->classes, 'w', *a);
		}
		for (char **ad = hp->h_addr_list; ad && *ad; ad++) {
			char lit[80];
			addr_literal(hp->h_addrtype, *ad, lit, sizeof(lit));
			if (dbg_on(&cf->dbg, 0, 4))
				fprintf(cf->out, "\ta.k.a.: %s\n", lit);
			class_add(cf->classes, 'w', lit);
		}
	}
}

void hostid_probe_interfaces(struct cf *cf)
{
	struct ifaddrs *ifa = NULL;
	int count4 = 0;

	if (cf->opt.num[OPT_DontProbeInterfaces] == 1)
		return;
	if (getifaddrs(&ifa) != 0)
		return;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
			count4++;
	if (dbg_on(&cf->dbg, 0, 40))
		fprintf(cf->out, "scanning for interface specific names, ifc_len=%d\n",
			count4 * 40);
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		char lit[80], plain[INET6_ADDRSTRLEN];
		const void *addr;
		int family;
		if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_UP))
			continue;
		family = i->ifa_addr->sa_family;
		if (family == AF_INET) {
			addr = &((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		} else if (family == AF_INET6) {
			const struct in6_addr *a6 = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			/* loopback and link-local v6 names are not names of this host */
			if (IN6_IS_ADDR_LOOPBACK(a6) || IN6_IS_ADDR_LINKLOCAL(a6))
				continue;
			addr = a6;
		} else {
			continue;
		}
		/* DontProbeInterfaces=loopback: skip loopback interfaces */
		if (cf->opt.num[OPT_DontProbeInterfaces] == 2 && (i->ifa_flags & IFF_LOOPBACK))
			continue;
		inet_ntop(family, addr, plain, sizeof(plain));
		if (dbg_on(&cf->dbg, 0, 20))
			fprintf(cf->out, "%s\n", plain);
		addr_literal(family, addr, lit, sizeof(lit));
		class_add(cf->classes, 'w', lit);
	}
	freeifaddrs(ifa);
}

void hostid_finish(struct cf *cf)
{
	struct strbuf sb = STRBUF_INIT;
	const char *j;

	macro_expand(cf, &cf->macros, macro_get(&cf->macros, 'j') ? macro_get(&cf->macros, 'j') : "",
		     &sb);
	j = sb_str(&sb);
	if (*j != '\0')
		class_add(cf->classes, 'w', j);
	if (dbg_on(&cf->dbg, 0, 1)) {
		static const struct {
			const char *label;
			int id;
		} rows[] = {
			{"      (short domain name) $w = ", 'w'},
			{"  (canonical domain name) $j = ", 'j'},
			{"         (subdomain name) $m = ", 'm'},
			{"              (node name) $k = ", 'k'},
		};
		fprintf(cf->out, "\n============ SYSTEM IDENTITY (after readcf) ============\n");
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			struct strbuf v = STRBUF_INIT;
			const char *raw = macro_get(&cf->macros, rows[i].id);
			macro_expand(cf, &cf->macros, raw ? raw : "", &v);
			fprintf(cf->out, "%s%s\n", rows[i].label, raw ? sb_str(&v) : "<null>");
			sb_free(&v);
		}
		fprintf(cf->out, "========================================================\n\n");
	}
	if (cf->op_mode == 't' && *j != '\0' && strchr(j, '.') == NULL)
		fprintf(cf->out,
			"WARNING: local host name (%s) is not qualified; see cf/README: WHO AM I?\n",
			j);
	sb_free(&sb);
}
