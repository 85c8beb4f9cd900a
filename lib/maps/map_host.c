/*
 * map_host: the DNS-backed map classes: host ($[ $] canonification and
 * [address] reverse lookups), dns (record lookups, as FEATURE(dnsbl)
 * uses) and bestmx.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "deliver/mxroute.h"
#include "dns/resolve.h"
#include "maps/map.h"
#include "util/pool.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define HOST_MESSAGE_WIDTH 33

struct dns_map {
	char *type;
	char *base;
	int max_answers;
};

static void name_server_timeout(struct cf *cf, const char *name)
{
	char shown[64];
	dns_shorten(name, HOST_MESSAGE_WIDTH, shown, sizeof(shown));
	if (cf->show_messages) {
		cf_put_input_location(cf);
		fprintf(cf->out, "%s: Name server timeout\n", shown);
	}
}

static char *host_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			 const char *key, char **args, int *status, struct pool *pool)
{
	char buf[1025];
	size_t len = strlen(key);
	int st;
	(void)env;

	if (len >= sizeof(buf))
		return NULL;
	if (key[0] == '[' && len > 2 && key[len - 1] == ']') {
		char addr[1025];
		snprintf(addr, sizeof(addr), "%.*s", (int)len - 2, key + 1);
		st = dns_reverse(cf, addr, buf, sizeof(buf));
	} else {
		snprintf(buf, sizeof(buf), "%s", key);
		st = dns_canonify(cf, buf, sizeof(buf));
	}
	if (st == EX_TEMPFAIL)
		name_server_timeout(cf, key);
	if (st != 0) {
		*status = st == EX_NOHOST ? 0 : st;
		return NULL;
	}
	return map_rewrite(m, (m->flags & MF_MATCHONLY) ? key : buf, args, pool);
}

const struct map_class map_class_host = {"host", false, NULL, NULL, host_lookup, NULL};

static bool dns_parse(struct cf *cf, struct map *m, char **argv, int argc)
{
	struct dns_map *d = xcalloc(1, sizeof(*d));
	m->priv = d;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-')
			continue;
		switch (a[1]) {
		case 'R': {
			static const char *const known[] = {"A", "AAAA", "MX", "TXT", "PTR",
							    "CNAME", "NS", "SRV", "TLSA", NULL};
			int k;
			for (k = 0; known[k]; k++)
				if (strcasecmp(known[k], a + 2) == 0)
					break;
			if (known[k] == NULL) {
				struct strbuf rest = STRBUF_INIT;
				sb_puts(&rest, a + 2);
				for (int j = i + 1; j < argc; j++)
					sb_printf(&rest, " %s", argv[j]);
				cf_error(cf, EX_SOFTWARE, "dns map %s: wrong type %s", m->name,
					 sb_str(&rest));
				sb_free(&rest);
				return false;
			}
			free(d->type);
			d->type = xstrdup(a + 2);
			break;
		}
		case 'B': free(d->base); d->base = xstrdup(a + 2); break;
		case 'Z': d->max_answers = atoi(a + 2); break;
		case 'z': m->coldelim = a[2]; break;
		case 'a': free(m->app); m->app = xstrdup(a + 2); break;
		case 'T': free(m->tapp); m->tapp = xstrdup(a + 2); break;
		case 'd': m->timeout = option_convtime(cf, a + 2, 's'); break;
		case 'q': m->flags |= MF_KEEPQUOTES; break;
		case 'm': m->flags |= MF_MATCHONLY; break;
		case 't': m->flags |= MF_NODEFER; break;
		case 'D': m->flags |= MF_DEFER; break;
		case 'S': m->spacesub = a[2]; break;
		case 'f': m->flags |= MF_NOFOLDCASE; break;
		default:
			break;
		}
	}
	if (d->type == NULL) {
		cf_error(cf, EX_SOFTWARE, "dns map %s: missing -R type", m->name);
		return false;
	}
	return true;
}

static void dns_close(struct map *m)
{
	struct dns_map *d = m->priv;
	if (d != NULL) {
		free(d->type);
		free(d->base);
		free(d);
	}
	m->priv = NULL;
}

static char *join_answers(struct map *m, char **list, int n, int max, struct pool *pool)
{
	struct strbuf sb = STRBUF_INIT;
	char *r;
	if (m->coldelim == '\0' || max == 1)
		n = n > 0 ? 1 : 0;
	if (max > 0 && n > max)
		n = max;
	for (int i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(&sb, m->coldelim);
		sb_puts(&sb, list[i]);
	}
	r = pool_strdup(pool, sb_str(&sb));
	sb_free(&sb);
	return r;
}

static char *dns_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			const char *key, char **args, int *status, struct pool *pool)
{
	struct dns_map *d = m->priv;
	struct strbuf name = STRBUF_INIT;
	char **list;
	int n, st;
	char *r = NULL;
	(void)env;

	sb_puts(&name, key);
	if (d->base != NULL) {
		if (name.len > 0 && name.s[name.len - 1] != '.')
			sb_putc(&name, '.');
		sb_puts(&name, d->base);
	}
	st = dns_query(cf, sb_str(&name), d->type, &list, &n);
	sb_free(&name);
	if (st == 0) {
		char *joined = join_answers(m, list, n, d->max_answers, pool);
		r = map_rewrite(m, (m->flags & MF_MATCHONLY) ? key : joined, args, pool);
	} else if (st == EX_TEMPFAIL) {
		*status = EX_TEMPFAIL;
	}
	dns_free_list(list, n);
	return r;
}

const struct map_class map_class_dns = {"dns", false, dns_parse, NULL, dns_lookup, dns_close};

/*
 * sendmail's bestmx: the MX hosts in the order delivery would try them,
 * but this host and worse kept and no FallbackMXhost; a name without MX
 * records is its own canonical name, one that does not exist "no match"
 * with EX_NOHOST.
 */
static char *bestmx_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			   const char *key, char **args, int *status, struct pool *pool)
{
	struct mx_route route;
	int n = mxroute_lookup(cf, key, false, false, &route);
	char *r = NULL;
	(void)env;

	if (n > 0) {
		char *joined = join_answers(m, route.hosts, n, 0, pool);
		r = map_rewrite(m, (m->flags & MF_MATCHONLY) ? key : joined, args, pool);
	} else if (route.status != 0) {
		*status = route.status;
	}
	mxroute_free(&route);
	return r;
}

const struct map_class map_class_bestmx = {"bestmx", false, NULL, NULL, bestmx_lookup, NULL};
