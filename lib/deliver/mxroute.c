/*
 * mxroute: the hosts an [IPC] mailer tries (mxroute.h).
 */
#include "deliver/mxroute.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "cf/class.h"
#include "cf/macro.h"
#include "dns/resolve.h"
#include "dns/tlsa.h"
#include "util/xalloc.h"

#define ANSWER_SIZE 8192

struct mx_rec {
	int pref;
	uint32_t weight; /* the order among equal preferences */
	char *name;      /* with its trailing dot */
};

struct mx_list {
	struct mx_rec rec[MXROUTE_MAX];
	int n;
};

static void set_problem(struct mx_route *r, int status, const char *fmt, const char *a,
                        const char *b)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), fmt, a, b);
	r->status = status;
	free(r->problem);
	r->problem = xstrdup(buf);
}

static void add_host(struct mx_route *r, const char *name)
{
	if (r->n >= MXROUTE_MAX)
		return;
	for (int i = 0; i < r->n; i++)
		if (strcasecmp(r->hosts[i], name) == 0)
			return;
	r->hosts = xrealloc(r->hosts, (size_t)(r->n + 2) * sizeof(*r->hosts));
	r->hosts[r->n++] = xstrdup(name);
	r->hosts[r->n] = NULL;
}

/*
 * A per-process secret mixed into the hash of each MX host name: equal
 * preferences keep one order within a process, and differ between
 * processes, so that the load spreads over them.
 */
static uint32_t process_seed(void)
{
	static uint32_t seed;

	if (seed == 0 && getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	if (seed == 0)
		seed = 1;
	return seed;
}

static uint32_t name_weight(const char *name)
{
	uint32_t h = 2166136261u ^ process_seed();

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h ^= (uint32_t)tolower(*p);
		h *= 16777619u;
	}
	return h;
}

static int cmp_rec(const void *x, const void *y)
{
	const struct mx_rec *a = x, *b = y;

	if (a->pref != b->pref)
		return a->pref < b->pref ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight < b->weight ? -1 : 1;
	return strcasecmp(a->name, b->name);
}

/* Is `name` (a trailing dot allowed) one of this host's names, class w? */
static bool is_local(struct cf *cf, const char *name)
{
	char buf[NS_MAXDNAME + 1];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", name);
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (class_contains(cf->classes, 'w', buf))
		return true;
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return class_contains(cf->classes, 'w', buf);
}

/* The MX records of an answer, at most MXROUTE_MAX; 0, or -1 if it is not one. */
static int parse_answer(const unsigned char *ans, int len, struct mx_list *l)
{
	ns_msg msg;

	l->n = 0;
	if (ns_initparse(ans, len, &msg) < 0)
		return -1;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an) && l->n < MXROUTE_MAX; i++) {
		ns_rr rr;
		char name[NS_MAXDNAME];
		size_t nl;

		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			break;
		if (ns_rr_type(rr) != ns_t_mx || ns_rr_rdlen(rr) < 3)
			continue;
		if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr) + 2, name,
		                       sizeof(name)) < 0)
			continue;
		nl = strlen(name);
		l->rec[l->n].pref = (ns_rr_rdata(rr)[0] << 8) | ns_rr_rdata(rr)[1];
		l->rec[l->n].name = xmalloc(nl + 2);
		memcpy(l->rec[l->n].name, name, nl);
		memcpy(l->rec[l->n].name + nl, ".", 2);
		l->rec[l->n].weight = name_weight(l->rec[l->n].name);
		l->n++;
	}
	return 0;
}

/*
 * res_nsearch for MX (ResolverOptions applied): its h_errno, or 0 with the
 * records in `l` and *secure the answer's AD bit (kept by glibc only with
 * RES_TRUSTAD).
 */
static int query_mx(const struct cf *cf, const char *host, struct mx_list *l, bool *secure)
{
	struct __res_state rs;
	unsigned char ans[ANSWER_SIZE];
	int len, herr;

	l->n = 0;
	*secure = false;
	if (dns_res_init(cf, &rs) != 0)
		return TRY_AGAIN;
	len = res_nsearch(&rs, host, ns_c_in, ns_t_mx, ans, sizeof(ans));
	herr = rs.res_h_errno;
	res_nclose(&rs);
	if (len < 0)
		return herr == 0 ? TRY_AGAIN : herr;
	*secure = tlsa_answer_secure(ans, len);
	if (parse_answer(ans, len, l) < 0)
		return NO_RECOVERY;
	return l->n > 0 ? 0 : NO_DATA;
}

static void free_list(struct mx_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->rec[i].name);
	l->n = 0;
}

/*
 * Take the sorted MX hosts, less this host and all not better than it.
 * Returns false when this host was among them and nothing is left.
 */
static bool take_records(struct cf *cf, struct mx_list *l, bool droplocal, struct mx_route *r)
{
	int localpref = -1;

	qsort(l->rec, (size_t)l->n, sizeof(l->rec[0]), cmp_rec);
	for (int i = 0; droplocal && i < l->n; i++)
		if (is_local(cf, l->rec[i].name) && (localpref < 0 || l->rec[i].pref < localpref))
			localpref = l->rec[i].pref;
	for (int i = 0; i < l->n; i++)
		if (localpref < 0 || l->rec[i].pref < localpref)
			add_host(r, l->rec[i].name);
	return localpref < 0 || r->n > 0;
}

/* The canonical name of `name` (files, then DNS) with a trailing dot. */
static bool canonical(struct cf *cf, const char *name, char *out, size_t size)
{
	char buf[NS_MAXDNAME + 2];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", name);
	if (dns_canonify(cf, buf, sizeof(buf) - 1) != 0)
		return false;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] != '.')
		strcat(buf, ".");
	snprintf(out, size, "%s", buf);
	return true;
}

/* The host itself, canonified; nothing when it has no address records. */
static void add_self(struct cf *cf, const char *host, struct mx_route *r)
{
	char canon[NS_MAXDNAME + 2];

	if (canonical(cf, host, canon, sizeof(canon)))
		add_host(r, canon);
}

/* FallbackMXhost: "[host]" as it is, otherwise its MX hosts (or itself). */
static void add_fallback(struct cf *cf, struct mx_route *r)
{
	const char *fb = cf->opt.str[OPT_FallbackMXhost];
	struct mx_route f = {0};

	if (fb == NULL || *fb == '\0')
		return;
	if (fb[0] == '[') {
		add_host(r, fb);
		return;
	}
	if (mxroute_lookup(cf, fb, true, false, &f) > 0)
		for (int i = 0; i < f.n; i++)
			add_host(r, f.hosts[i]);
	mxroute_free(&f);
}

/*
 * "[name]": the name's canonical form when it has one (no MX lookup),
 * otherwise as written, brackets and all; an address literal as it is.
 */
static void add_bracketed(struct cf *cf, const char *host, struct mx_route *r)
{
	char name[NS_MAXDNAME + 2], canon[NS_MAXDNAME + 2];
	size_t n = strlen(host);
	unsigned char addr[16];

	snprintf(name, sizeof(name), "%.*s", n >= 2 ? (int)(n - 2) : 0, host + 1);
	if (host[n - 1] == ']' && inet_pton(AF_INET, name, addr) != 1 &&
	    strncasecmp(name, "IPv6:", 5) != 0 && canonical(cf, name, canon, sizeof(canon)))
		add_host(r, canon);
	else
		add_host(r, host);
}

int mxroute_parse_answer(struct cf *cf, const unsigned char *ans, int len, bool droplocal,
                         struct mx_route *r)
{
	struct mx_list *l = xcalloc(1, sizeof(*l));
	int rc = parse_answer(ans, len, l);

	memset(r, 0, sizeof(*r));
	if (rc == 0 && l->n > 0 && !take_records(cf, l, droplocal, r))
		rc = -1;
	free_list(l);
	free(l);
	return rc < 0 ? -1 : r->n;
}

int mxroute_lookup(struct cf *cf, const char *host, bool droplocal, bool fallback,
                   struct mx_route *r)
{
	struct mx_list *l = xcalloc(1, sizeof(*l));
	const char *j = macro_get(&cf->macros, 'j');
	int herr;
	bool secure = false;

	memset(r, 0, sizeof(*r));
	if (host[0] == '[') { /* no MX for a bracketed host */
		free(l);
		add_bracketed(cf, host, r);
		return r->n;
	}
	herr = cf->dns_disabled ? TRY_AGAIN : query_mx(cf, host, l, &secure);
	switch (herr) {
	case 0:
		r->mx_insecure = !secure;
		if (take_records(cf, l, droplocal, r))
			break;
		if (cf->opt.num[OPT_TryNullMXList]) {
			add_self(cf, host, r);
			break;
		}
		set_problem(r, EX_CONFIG, "MX list for %s points back to %s", host, j ? j : "");
		break;
	case HOST_NOT_FOUND:
		set_problem(r, EX_NOHOST, "Host unknown (Name server: %s: %s)", host,
		            "host not found");
		fallback = false;
		break;
	case TRY_AGAIN:
		if (fallback && cf->opt.str[OPT_FallbackMXhost] != NULL) {
			add_fallback(cf, r);
			fallback = false;
			break;
		}
		set_problem(r, EX_TEMPFAIL, "Name server: %s: %s", host,
		            "host name lookup failure");
		break;
	default: /* no MX records: the host itself */
		add_self(cf, host, r);
		break;
	}
	free_list(l);
	free(l);
	if (r->status == EX_TEMPFAIL || r->status == EX_CONFIG)
		return -1;
	if (fallback)
		add_fallback(cf, r);
	return r->n;
}

/* The route of one host of a mailer's list, appended to `r`. */
static int route_one(struct cf *cf, const char *host, bool use_mx, bool fallback,
                     struct mx_route *r)
{
	struct mx_route one;
	int n;

	if (!use_mx) {
		add_host(r, host);
		return 0;
	}
	n = mxroute_lookup(cf, host, true, fallback, &one);
	if (n == 0 && one.status == 0) /* no MX and no canonical name: as given */
		add_host(&one, host);
	for (int i = 0; i < one.n; i++)
		add_host(r, one.hosts[i]);
	if (one.n == 0 && one.status != 0) {
		r->status = one.status;
		free(r->problem);
		r->problem = one.problem;
		one.problem = NULL;
	}
	mxroute_free(&one);
	return 0;
}

int mxroute_for_mailer(struct cf *cf, const char *host, bool use_mx, struct mx_route *r)
{
	char *list = xstrdup(host), *p = list;
	int depth = 0;

	memset(r, 0, sizeof(*r));
	/* "a:b:[c]": each host in turn, as if they were MX hosts in that order */
	for (char *q = list;; q++) {
		if (*q == '[')
			depth++;
		else if (*q == ']' && depth > 0)
			depth--;
		if ((*q == ':' && depth == 0) || *q == '\0') {
			bool last = *q == '\0';
			*q = '\0';
			if (*p != '\0')
				route_one(cf, p, use_mx, last, r);
			if (last)
				break;
			p = q + 1;
		}
	}
	free(list);
	if (r->n == 0)
		return -1;
	r->status = 0;
	free(r->problem);
	r->problem = NULL;
	return r->n;
}

void mxroute_free(struct mx_route *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->hosts[i]);
	free(r->hosts);
	free(r->problem);
	memset(r, 0, sizeof(*r));
}

void mxroute_connect_error(int err, const char *host, char *out, size_t size, int *status,
                           const char **dsn)
{
	*status = EX_TEMPFAIL;
	*dsn = "4.4.1";
	switch (err) {
	case -ECONNREFUSED:
		snprintf(out, size, "Connection refused by %s", host);
		break;
	case -ETIMEDOUT:
		snprintf(out, size, "Connection timed out with %s", host);
		break;
	case -EHOSTDOWN:
		snprintf(out, size, "Host %s is down", host);
		break;
	case -ENOENT:
	case -ENODATA:
		snprintf(out, size, "Host unknown (Name server: %s: %s)", host,
		         err == -ENOENT ? "host not found" : "no data known");
		*status = EX_NOHOST;
		*dsn = "5.1.2";
		break;
	case -EAGAIN:
		snprintf(out, size, "Name server: %s: host name lookup failure", host);
		*dsn = "4.4.3";
		break;
	default:
		snprintf(out, size, "%s by %s", strerror(-err), host);
		break;
	}
}
