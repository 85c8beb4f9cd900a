/* tlsa: TLSA records and the AD bit for DANE (see tlsa.h). */
#include "dns/tlsa.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define ANSWER_SIZE 8192

int tlsa_res_init(struct __res_state *rs, bool trust_ad)
{
	memset(rs, 0, sizeof(*rs));
	if (res_ninit(rs) != 0)
		return -1;
	if (trust_ad)
		rs->options |= RES_TRUSTAD;
	return 0;
}

bool tlsa_answer_secure(const unsigned char *ans, int len)
{
	ns_msg msg;

	if (len < NS_HFIXEDSZ || ns_initparse(ans, len, &msg) < 0)
		return false;
	return ns_msg_getflag(msg, ns_f_ad) != 0;
}

/* What DANE for SMTP can use (RFC 7672 section 3.1). */
static bool usable(const unsigned char *rd, size_t len)
{
	static const size_t hash_len[] = {0, 32, 64};

	if (len < 4 || (rd[0] != 2 && rd[0] != 3) || rd[1] > 1 || rd[2] > 2)
		return false;
	return rd[2] == 0 || len - 3 == hash_len[rd[2]];
}

static void add_rr(struct tlsa_set *out, const unsigned char *rd, size_t len)
{
	out->rr = xrealloc(out->rr, (size_t)(out->n + 1) * sizeof(out->rr[0]));
	out->rr[out->n].rdata = xmalloc(len);
	memcpy(out->rr[out->n].rdata, rd, len);
	out->rr[out->n].len = len;
	out->n++;
}

int tlsa_parse_answer(const unsigned char *ans, int len, struct tlsa_set *out, bool *secure)
{
	ns_msg msg;
	ns_rr rr;
	int found = 0;

	*secure = false;
	if (len < NS_HFIXEDSZ || ns_initparse(ans, len, &msg) < 0)
		return -1;
	*secure = ns_msg_getflag(msg, ns_f_ad) != 0;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) {
			tlsa_set_free(out);
			return -1;
		}
		if (ns_rr_type(rr) != ns_t_tlsa || ns_rr_class(rr) != ns_c_in ||
		    !usable(ns_rr_rdata(rr), ns_rr_rdlen(rr)))
			continue;
		add_rr(out, ns_rr_rdata(rr), ns_rr_rdlen(rr));
		found++;
	}
	return found;
}

/*
 * One query sent as it is (no search list): the answer's length, also for
 * NXDOMAIN, whose AD bit tells whether the denial was signed; -1 when no
 * name server answered.
 */
static int query(struct __res_state *rs, const char *name, int type, unsigned char *ans)
{
	unsigned char q[NS_PACKETSZ];
	int qlen = res_nmkquery(rs, ns_o_query, name, ns_c_in, type, NULL, 0, NULL, q, sizeof(q));

	if (qlen < 0)
		return -1;
	return res_nsend(rs, q, qlen, ans, ANSWER_SIZE);
}

static int rcode(const unsigned char *ans)
{
	return ans[3] & 0x0f;
}

/* Is HOST's A answer (records or a signed denial) secure? */
static enum tlsa_status address_status(struct __res_state *rs, const char *host)
{
	unsigned char ans[ANSWER_SIZE];
	int len = query(rs, host, ns_t_a, ans);

	if (len < NS_HFIXEDSZ || rcode(ans) == ns_r_servfail)
		return TLSA_TEMP;
	return tlsa_answer_secure(ans, len) ? TLSA_FOUND : TLSA_INSECURE;
}

static enum tlsa_status records(struct __res_state *rs, const char *name, struct tlsa_set *out)
{
	unsigned char ans[ANSWER_SIZE];
	int len = query(rs, name, ns_t_tlsa, ans);
	bool secure;

	if (len < NS_HFIXEDSZ || rcode(ans) == ns_r_servfail)
		return TLSA_TEMP;
	if (rcode(ans) != ns_r_noerror && rcode(ans) != ns_r_nxdomain)
		return TLSA_TEMP;
	if (tlsa_parse_answer(ans, len, out, &secure) < 0)
		return TLSA_TEMP;
	if (!secure) {
		tlsa_set_free(out);
		return TLSA_INSECURE;
	}
	return out->n > 0 ? TLSA_FOUND : TLSA_NONE;
}

enum tlsa_status tlsa_lookup(bool trust_ad, const char *host, int port, struct tlsa_set *out)
{
	struct __res_state rs;
	char name[NS_MAXDNAME + 32];
	size_t hl = strlen(host);
	enum tlsa_status st;

	out->rr = NULL;
	out->n = 0;
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	if (hl == 0 || hl > NS_MAXDNAME || host[0] == '[')
		return TLSA_INSECURE;
	if (tlsa_res_init(&rs, trust_ad) < 0)
		return TLSA_TEMP;
	snprintf(name, sizeof(name), "%.*s.", (int)hl, host);
	st = address_status(&rs, name);
	if (st == TLSA_FOUND) {
		snprintf(name, sizeof(name), "_%d._tcp.%.*s.", port, (int)hl, host);
		st = records(&rs, name, out);
	}
	res_nclose(&rs);
	return st;
}

void tlsa_set_free(struct tlsa_set *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->rr[i].rdata);
	free(s->rr);
	s->rr = NULL;
	s->n = 0;
}
