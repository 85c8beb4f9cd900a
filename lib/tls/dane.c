/* dane: TLSA verification with libgnutls-dane (see dane.h). */
#include "tls/dane.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/dane.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "dns/tlsa.h"
#include "tls/tls.h"
#include "util/xalloc.h"

/* The records in libgnutls-dane's form: a NULL-terminated array of RDATA. */
static int raw_query(dane_state_t st, const struct tlsa_set *set, dane_query_t *q)
{
	char **data = xcalloc((size_t)set->n + 1, sizeof(*data));
	int *lens = xcalloc((size_t)set->n + 1, sizeof(*lens));
	int r;

	for (int i = 0; i < set->n; i++) {
		data[i] = (char *)set->rr[i].rdata;
		lens[i] = (int)set->rr[i].len;
	}
	/* secure: the caller only passes records whose answer had the AD bit */
	r = dane_raw_tlsa(st, q, data, lens, 1, 0);
	free(data);
	free(lens);
	return r;
}

static void fail(struct tls_info *info, const char *why)
{
	info->verify = TLS_VERIFY_DANE_FAIL;
	free(info->verify_detail);
	info->verify_detail = xstrdup(why);
}

/* The chain against the records of one kind of usage; 0 with *status. */
static int check_usage(dane_state_t st, dane_query_t q, const gnutls_datum_t *chain, unsigned n,
                       unsigned only, unsigned *status)
{
	*status = 0;
	return dane_verify_crt_raw(st, chain, n, GNUTLS_CRT_X509, q, 0,
	                           only | DANE_VFLAG_FAIL_IF_NOT_CHECKED, status);
}

/* RFC 7672 section 3.2.3: under a DANE-TA anchor the names must match too. */
static bool names_match(const gnutls_datum_t *leaf, const char *host)
{
	gnutls_x509_crt_t crt;
	bool ok = false;

	if (gnutls_x509_crt_init(&crt) < 0)
		return false;
	if (gnutls_x509_crt_import(crt, leaf, GNUTLS_X509_FMT_DER) == 0)
		ok = gnutls_x509_crt_check_hostname2(crt, host, 0) != 0;
	gnutls_x509_crt_deinit(crt);
	return ok;
}

static void report(unsigned status, int r, struct tls_info *info)
{
	gnutls_datum_t text;

	if (r < 0) {
		fail(info, dane_strerror(r));
	} else if (status != 0 && dane_verification_status_print(status, &text, 0) == 0) {
		fail(info, (const char *)text.data);
		gnutls_free(text.data);
	} else {
		fail(info, "certificate does not match");
	}
}

/*
 * DANE-EE first: a match there needs nothing else.  Then DANE-TA: the
 * chain must lead to the anchor and the server's certificate name `host`.
 */
static void check_chain(dane_state_t st, dane_query_t q, const gnutls_datum_t *chain, unsigned n,
                        const char *host, struct tls_info *info)
{
	unsigned status;
	int r = check_usage(st, q, chain, n, DANE_VFLAG_ONLY_CHECK_EE_USAGE, &status);

	if (r == 0 && status == 0) {
		info->verify = TLS_VERIFY_DANE_PASS;
		return;
	}
	r = check_usage(st, q, chain, n, DANE_VFLAG_ONLY_CHECK_CA_USAGE, &status);
	if (r == 0 && status == 0) {
		if (host != NULL && names_match(&chain[0], host))
			info->verify = TLS_VERIFY_DANE_PASS;
		else
			fail(info, "the certificate does not name the server");
		return;
	}
	report(status, r, info);
}

int tls_dane_verify(struct tls_session *s, const struct tlsa_set *set, const char *host,
                    struct tls_info *info)
{
	unsigned n = 0;
	const gnutls_datum_t *chain = tls_peer_chain(s, &n);
	dane_state_t st;
	dane_query_t q;
	int r;

	if (chain == NULL || n == 0) {
		fail(info, "no certificate");
		return 0;
	}
	r = dane_state_init(&st, DANE_F_IGNORE_LOCAL_RESOLVER | DANE_F_IGNORE_DNSSEC);
	if (r < 0) {
		fail(info, dane_strerror(r));
		return -ENOMEM;
	}
	r = raw_query(st, set, &q);
	if (r < 0) {
		fail(info, dane_strerror(r));
		dane_state_deinit(st);
		return -EPROTO;
	}
	check_chain(st, q, chain, n, host, info);
	dane_query_deinit(q);
	dane_state_deinit(st);
	return 0;
}
