/*
 * resolve: service-switch driven host lookups and DNS queries (resolve.h).
 */
#include "dns/resolve.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "util/xalloc.h"

#define MAX_METHODS 8 /* struct cf's host_methods */
#define ANSWER_SIZE 8192

void dns_shorten(const char *s, size_t max, char *out, size_t outsize)
{
	size_t len = strlen(s);
	if (len < max || max < 5) {
		snprintf(out, outsize, "%s", s);
		return;
	}
	size_t half = (max - 3) / 2;
	snprintf(out, outsize, "%.*s...%s", (int)half, s, s + len - half);
}

/* Read the "hosts" methods from a switch file in sendmail's or NSS syntax. */
static int read_switch(const char *path, bool nss_syntax, char methods[][16])
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int n = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *save = NULL, *w;
		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "hosts", 5) != 0)
			continue;
		p += 5;
		if (nss_syntax) {
			if (*p != ':')
				continue;
			p++;
		} else if (!isspace((unsigned char)*p)) {
			continue;
		}
		for (w = strtok_r(p, " \t\r\n", &save); w && n < MAX_METHODS;
		     w = strtok_r(NULL, " \t\r\n", &save)) {
			if (*w == '#' || *w == '[')
				break;
			if (strcmp(w, "files") == 0 || strcmp(w, "dns") == 0)
				snprintf(methods[n++], 16, "%s", w);
		}
		break;
	}
	fclose(f);
	return n;
}

static int read_host_methods(struct cf *cf, char methods[][16])
{
	const char *sw = cf->opt.str[OPT_ServiceSwitchFile];
	int n = read_switch(sw ? sw : "/etc/mail/service.switch", false, methods);
	if (n < 0)
		n = read_switch("/etc/nsswitch.conf", true, methods);
	if (n <= 0) {
		snprintf(methods[0], 16, "files");
		snprintf(methods[1], 16, "dns");
		n = 2;
	}
	return n;
}

/* The "hosts" methods, from the switch file the first time. */
static int host_methods(struct cf *cf, char methods[][16])
{
	if (cf->host_methods_n == 0)
		cf->host_methods_n = read_host_methods(cf, cf->host_methods);
	memcpy(methods, cf->host_methods, sizeof(cf->host_methods));
	return cf->host_methods_n;
}

/* Look the name up in the hosts file: canonical (first) name of its line. */
static int hosts_file_canon(struct cf *cf, char *host, size_t size)
{
	const char *path = cf->opt.str[OPT_HostsFile] ? cf->opt.str[OPT_HostsFile] : "/etc/hosts";
	FILE *f = fopen(path, "r");
	char line[2048], name[1025];
	size_t hl;

	if (f == NULL)
		return EX_NOHOST;
	snprintf(name, sizeof(name), "%s", host);
	hl = strlen(name);
	if (hl > 0 && name[hl - 1] == '.')
		name[--hl] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		char *save = NULL, *w, *canon = NULL;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		w = strtok_r(line, " \t\r\n", &save); /* the address */
		if (w == NULL)
			continue;
		for (w = strtok_r(NULL, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
			if (canon == NULL)
				canon = w;
			if (strcasecmp(w, name) == 0) {
				snprintf(host, size, "%s", canon);
				fclose(f);
				return 0;
			}
		}
	}
	fclose(f);
	return EX_NOHOST;
}

int dns_res_init(const struct cf *cf, struct __res_state *rs)
{
	memset(rs, 0, sizeof(*rs));
	if (res_ninit(rs) != 0)
		return -1;
	rs->options |= cf->opt.resolver_set;
	rs->options &= ~cf->opt.resolver_clear;
	return 0;
}

void dns_apply_options(const struct cf *cf)
{
	if (cf->opt.resolver_set == 0 && cf->opt.resolver_clear == 0)
		return;
	if ((_res.options & RES_INIT) == 0 && res_init() != 0)
		return;
	_res.options |= cf->opt.resolver_set;
	_res.options &= ~cf->opt.resolver_clear;
}

static int herrno_status(int herr)
{
	switch (herr) {
	case TRY_AGAIN:
		return EX_TEMPFAIL;
	case NO_RECOVERY:
		return EX_OSERR;
	default:
		return EX_NOHOST;
	}
}

/* One query; fills the owner name of the first matching answer record. */
static int query_owner(res_state rs, const char *name, int type, char *canon, size_t size)
{
	unsigned char ans[ANSWER_SIZE];
	ns_msg msg;
	int len = res_nsearch(rs, name, ns_c_in, type, ans, sizeof(ans));

	if (len < 0)
		return herrno_status(rs->res_h_errno);
	if (ns_initparse(ans, len, &msg) < 0)
		return EX_NOHOST;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr rr;
		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			break;
		if ((int)ns_rr_type(rr) == type) {
			snprintf(canon, size, "%s", ns_rr_name(rr));
			return 0;
		}
	}
	return EX_NOHOST;
}

static int dns_canon(const struct cf *cf, char *host, size_t size)
{
	struct __res_state rs;
	char canon[NS_MAXDNAME];
	static const int types[] = {ns_t_a, ns_t_aaaa, ns_t_mx};
	int status = EX_NOHOST;

	if (dns_res_init(cf, &rs) != 0)
		return EX_TEMPFAIL;
	/* a name without a dot is looked up only in the search list or the
	 * default domain: with neither (-DNSRCH -DEFNAMES) there is nothing
	 * to ask, as in sendmail's getcanonname */
	if (strchr(host, '.') == NULL && (rs.options & (RES_DNSRCH | RES_DEFNAMES)) == 0) {
		res_nclose(&rs);
		return EX_NOHOST;
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int st;
		/* HasWildcardMX: an MX record says nothing about a name */
		if (types[i] == ns_t_mx && cf->opt.has_wildcard_mx)
			continue;
		st = query_owner(&rs, host, types[i], canon, sizeof(canon));
		/* WorkAroundBrokenAAAA: a server failing AAAA queries is
		 * taken as having no such record */
		if (st == EX_TEMPFAIL && types[i] == ns_t_aaaa && cf->opt.broken_aaaa)
			st = EX_NOHOST;
		if (st == 0) {
			snprintf(host, size, "%s", canon);
			status = 0;
			break;
		}
		if (st == EX_TEMPFAIL) {
			status = EX_TEMPFAIL;
			break;
		}
	}
	res_nclose(&rs);
	return status;
}

int dns_canonify(struct cf *cf, char *host, size_t size)
{
	char methods[MAX_METHODS][16];
	int n = host_methods(cf, methods), status = EX_NOHOST;

	for (int i = 0; i < n; i++) {
		int st;
		if (strcmp(methods[i], "files") == 0)
			st = hosts_file_canon(cf, host, size);
		else if (cf->dns_disabled)
			st = EX_TEMPFAIL;
		else
			st = dns_canon(cf, host, size);
		if (st == 0)
			return 0;
		if (st == EX_TEMPFAIL)
			status = EX_TEMPFAIL;
	}
	return status;
}

/*
 * getnameinfo() reports an unreachable name server like a missing name;
 * sendmail tells them apart (${client_resolve} TEMP or FAIL): ask the
 * resolver for the PTR record itself to learn which it was.
 */
static int ptr_failure(const struct cf *cf, const struct sockaddr_storage *ss)
{
	char name[128];
	unsigned char answer[512];
	struct __res_state res;
	int n, herr;

	if (ss->ss_family == AF_INET) {
		const unsigned char *b = (const void *)&((const struct sockaddr_in *)ss)->sin_addr;
		snprintf(name, sizeof(name), "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
	} else {
		const unsigned char *b = (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
		char *p = name;
		for (int i = 15; i >= 0; i--)
			p += sprintf(p, "%x.%x.", b[i] & 0xf, b[i] >> 4);
		strcpy(p, "ip6.arpa");
	}
	if (dns_res_init(cf, &res) != 0)
		return EX_TEMPFAIL;
	n = res_nquery(&res, name, C_IN, T_PTR, answer, sizeof(answer));
	herr = res.res_h_errno;
	res_nclose(&res);
	if (n >= 0 || herr == HOST_NOT_FOUND || herr == NO_DATA)
		return EX_NOHOST;
	return EX_TEMPFAIL;
}

int dns_reverse(struct cf *cf, const char *addr, char *out, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char host[NI_MAXHOST];
	int rc;

	memset(&ss, 0, sizeof(ss));
	if (strncasecmp(addr, "IPv6:", 5) == 0)
		addr += 5;
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		sl = sizeof(struct sockaddr_in6);
	} else {
		return EX_NOHOST;
	}
	rc = getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), NULL, 0,
			 NI_NAMEREQD | (cf->dns_disabled ? NI_NUMERICHOST : 0));
	if (cf->dns_disabled && rc == 0)
		return EX_TEMPFAIL;
	if (rc == EAI_AGAIN)
		return EX_TEMPFAIL;
	if (rc != 0)
		return ptr_failure(cf, &ss);
	snprintf(out, size, "%s", host);
	return 0;
}

void dns_free_list(char **list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static int type_by_name(const char *t)
{
	static const struct {
		const char *name;
		int type;
	} types[] = {
		{"A", ns_t_a},   {"AAAA", ns_t_aaaa}, {"MX", ns_t_mx},   {"TXT", ns_t_txt},
		{"PTR", ns_t_ptr}, {"CNAME", ns_t_cname}, {"NS", ns_t_ns}, {"SRV", ns_t_srv},
		{"TLSA", 52},
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(types[i].name, t) == 0)
			return types[i].type;
	return -1;
}

static char *rdata_text(ns_msg msg, ns_rr rr)
{
	char buf[NS_MAXDNAME + 16];
	const unsigned char *rd = ns_rr_rdata(rr);
	int rdlen = ns_rr_rdlen(rr);

	switch (ns_rr_type(rr)) {
	case ns_t_a:
		if (rdlen == 4 && inet_ntop(AF_INET, rd, buf, sizeof(buf)))
			return xstrdup(buf);
		return NULL;
	case ns_t_aaaa:
		if (rdlen == 16 && inet_ntop(AF_INET6, rd, buf, sizeof(buf)))
			return xstrdup(buf);
		return NULL;
	case ns_t_mx:
		if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), rd + 2, buf,
				       sizeof(buf)) < 0)
			return NULL;
		return xstrdup(buf);
	case ns_t_txt: {
		char *s = xmalloc((size_t)rdlen + 1);
		int o = 0;
		for (int i = 0; i < rdlen;) {
			int l = rd[i++];
			for (int j = 0; j < l && i < rdlen; j++)
				s[o++] = (char)rd[i++];
		}
		s[o] = '\0';
		return s;
	}
	default:
		if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), rd, buf, sizeof(buf)) < 0)
			return NULL;
		return xstrdup(buf);
	}
}

int dns_query(struct cf *cf, const char *name, const char *type, char ***answers, int *n)
{
	struct __res_state rs;
	unsigned char ans[ANSWER_SIZE];
	int qtype = type_by_name(type), len, cnt = 0;
	ns_msg msg;
	char **list;

	*answers = NULL;
	*n = 0;
	if (qtype < 0)
		return EX_CONFIG;
	if (cf->dns_disabled)
		return EX_TEMPFAIL;
	if (dns_res_init(cf, &rs) != 0)
		return EX_TEMPFAIL;
	len = res_nquery(&rs, name, ns_c_in, qtype, ans, sizeof(ans));
	if (len < 0) {
		int st = herrno_status(rs.res_h_errno);
		res_nclose(&rs);
		return st;
	}
	res_nclose(&rs);
	if (ns_initparse(ans, len, &msg) < 0)
		return EX_NOHOST;
	list = xcalloc((size_t)ns_msg_count(msg, ns_s_an) + 1, sizeof(char *));
	for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr rr;
		char *t;
		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0 || (int)ns_rr_type(rr) != qtype)
			continue;
		t = rdata_text(msg, rr);
		if (t != NULL)
			list[cnt++] = t;
	}
	*answers = list;
	*n = cnt;
	return cnt > 0 ? 0 : EX_NOHOST;
}
