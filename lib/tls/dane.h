/*
 * dane: sdmail's only contact with libgnutls-dane.  Checks the certificate
 * chain a server sent in a finished handshake against TLSA records that
 * the caller looked up and found DNSSEC-secure (dns/tlsa), the way RFC
 * 7672 wants it for SMTP: DANE-EE(3) matches the server's own certificate
 * or key and nothing else is checked (no names, no dates, no CA);
 * DANE-TA(2) names a trust anchor the chain must lead to, and then the
 * server's certificate must also carry the MX host's name.  The answer is
 * ${verify}'s DANE_PASS or DANE_FAIL; libgnutls-dane never queries DNS
 * itself here.
 */
#ifndef SDMAIL_TLS_DANE_H
#define SDMAIL_TLS_DANE_H

struct tls_session;
struct tls_info;
struct tlsa_set;
struct strbuf;

/*
 * Verify the session's peer chain against `set` (at least one record) for
 * the server `host` (the TLSA base name, no trailing dot; NULL: no name
 * can match a DANE-TA chain) and set info->verify to TLS_VERIFY_DANE_PASS
 * or TLS_VERIFY_DANE_FAIL; a failure's reason (libgnutls-dane's words)
 * goes to info->verify_detail.  Returns 0, or -ENOMEM/-EPROTO when
 * libgnutls-dane could not be set up (the verdict is then DANE_FAIL too:
 * nothing was shown to match).
 */
int tls_dane_verify(struct tls_session *s, const struct tlsa_set *set, const char *host,
                    struct tls_info *info);

#endif
