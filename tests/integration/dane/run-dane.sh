#!/bin/bash
# run-dane.sh SENDMAIL MAKEMAP
#
# DANE (RFC 7672) in the SMTP client against real components: a signed
# zone served by nsd and validated by unbound (dnssec.sh), MX hosts that
# are Python/OpenSSL SMTP servers with a certtool-made chain, TLSA records
# computed by openssl.  drive.sh runs the cases in the golden sandbox with
# a standalone journald (../log/journal.sh); the STARTTLS=client lines
# must then say verify=DANE_PASS, DANE_FAIL, or the usual FAIL where DANE
# does not apply.  sendmail 8.17.1 as Debian builds it has no DANE
# ("readcf: unknown option name DANE", recorded by capture-oracle.sh in
# expected/oracle-no-dane.txt), so there is nothing of the oracle's to
# compare with; see sm-mta(8).  Needs root, nsd, unbound, ldnsutils,
# openssl and certtool; skipped (77) without them.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$top/tests/integration/submit/common.sh"
start_test "$@"
for t in nsd unbound ldns-signzone ldns-keygen ldns-key2ds openssl certtool; do
	command -v "$t" >/dev/null || { echo "SKIP: no $t"; exit 77; }
done
T=$(mktemp -d /tmp/sdmail-dane.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
# a CA; the MX hosts' certificate signed by it, naming them all; another
# one signed by it that names none of them (other.pem)
C=$T/certs
mkdir -m 755 "$C"
printf 'cn = "sdmail DANE test CA"\nca\ncert_signing_key\nexpiration_days = 2\n' >"$C/ca.tmpl"
{
	printf 'cn = "mx-good.dane.test"\ntls_www_server\nsigning_key\nencryption_key\n'
	printf 'expiration_days = 2\n'
	for h in good ta full bad notls none multi bogus; do printf 'dns_name = "mx-%s.dane.test"\n' $h; done
	printf 'dns_name = "mx.open.test"\n'
} >"$C/srv.tmpl"
printf 'cn = "elsewhere.test"\ndns_name = "elsewhere.test"\ntls_www_server\nsigning_key\nencryption_key\nexpiration_days = 2\n' >"$C/other.tmpl"
certtool --generate-privkey --key-type=ecdsa --outfile "$C/ca.key" 2>/dev/null
certtool --generate-self-signed --load-privkey "$C/ca.key" --template "$C/ca.tmpl" \
	--outfile "$C/ca.pem" 2>/dev/null
for n in srv other; do
	certtool --generate-privkey --key-type=ecdsa --outfile "$C/$n.key" 2>/dev/null
	certtool --generate-certificate --load-privkey "$C/$n.key" --load-ca-certificate "$C/ca.pem" \
		--load-ca-privkey "$C/ca.key" --template "$C/$n.tmpl" --outfile "$C/$n.pem" 2>/dev/null
	cat "$C/$n.pem" "$C/ca.pem" >"$C/$n-chain.pem"
done
[ -s "$C/other.pem" ] || { echo "FAIL: certtool made no certificate"; exit 1; }
chmod 644 "$C"/*

dane=$here
here=$top/tests/integration/submit # in_sandbox hands its common.sh in
in_sandbox "$top/tests/integration/log/journal.sh" "$T" env SM="$sendmail" CERTS="$T/certs" \
	MTA="$here/tls-mta.py" DANEDIR="$dane" bash "$dane/drive.sh" >"$T/out" 2>&1
rc=$?
cat "$T/out"
journalctl -D "$T/journal" -o cat SYSLOG_FACILITY=2 >"$T/log"
. "$top/tests/verdicts.sh"
failures=0
[ $rc = 0 ] || fail "drive.sh: $rc"
# one STARTTLS=client line per session that did TLS, in the cases' order
# (notls and bogus did none), then the to= lines' stat=
v='version=TLSv1\.[23], verify='
c=', cipher=[A-Z0-9_-]+, bits=[0-9]+/[0-9]+$'
got=$(grep '^STARTTLS=client' "$T/log" | sed -E "s|$v|VERIFY=|; s|$c||")
want="STARTTLS=client, relay=mx-good.dane.test., VERIFY=DANE_PASS
STARTTLS=client, relay=mx-ta.dane.test., VERIFY=DANE_PASS
STARTTLS=client, relay=mx-taname.dane.test., VERIFY=DANE_FAIL
STARTTLS=client, relay=mx-full.dane.test., VERIFY=DANE_PASS
STARTTLS=client, relay=mx-bad.dane.test., VERIFY=DANE_FAIL
STARTTLS=client, relay=mx-multi.dane.test., VERIFY=DANE_PASS
STARTTLS=client, relay=mx-none.dane.test., VERIFY=FAIL
STARTTLS=client, relay=mx.open.test., VERIFY=FAIL
STARTTLS=client, relay=mx-bad.dane.test., VERIFY=FAIL
STARTTLS=client, relay=mx-bad.dane.test., VERIFY=FAIL"
if [ "$got" = "$want" ]; then ok "STARTTLS=client lines"; else
	fail "STARTTLS=client lines:"; diff <(echo "$want") <(echo "$got"); fi
d='dsn=4\.7\.0, reply=403 4\.7\.0 DANE check failed\., stat=Deferred: 403 4\.7\.0 DANE check failed\.$'
expect "to= lines" "$(grep -E ': to=' "$T/log")" \
	"to=u@good\.dane\.test, .* relay=mx-good\.dane\.test\. \[127\.0\.0\.2\], dsn=2\.0\.0, stat=Sent" \
	"to=u@bad\.dane\.test, .* relay=mx-bad\.dane\.test\. \[127\.0\.0\.5\], $d" \
	"to=u@notls\.dane\.test, .* relay=mx-notls\.dane\.test\. \[127\.0\.0\.6\], $d" \
	"to=u@taname\.dane\.test, .* relay=mx-taname\.dane\.test\. \[127\.0\.0\.8\], $d" \
	"to=u@bogus\.dane\.test, .* relay=mx-bogus\.dane\.test\. \[127\.0\.0\.2\], $d"
[ $failures = 0 ] || cat "$T/log"
verdict
