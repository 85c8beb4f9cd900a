#!/bin/bash
# drive.sh: the DANE cases inside the golden sandbox (run-dane.sh starts
# it): the validating chain of dnssec.sh on 127.0.0.1:53, tls-mta.py as
# each MX host (127.0.0.2-7:25; mx-notls without STARTTLS), and the
# sendmail command under test delivering at once through sendmail.cf.
#   SM      the sendmail binary
#   CERTS   ca.pem; srv.pem, srv.key, srv-chain.pem (naming the MX hosts);
#           other.key, other-chain.pem (signed by the same CA, other names)
#   MTA     tls-mta.py              DANEDIR this directory
# Prints the verdicts; run-dane.sh checks the log lines afterwards.
. "$COMMON"
sandbox_setup dane
. "$DANEDIR/dnssec.sh"
mkdir "$W/dns"
MTAS=()
stop_all() {
	local p
	for p in "${MTAS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${MTAS[@]}"; do wait "$p" 2>/dev/null; done
	dnssec_stop
}
trap stop_all EXIT
dnssec_start "$W/dns" "$CERTS" || exit 1

# mta ADDR [OPTIONS]: tls-mta.py on ADDR:25 with a chain (server, CA):
# srv's, or other's when CERT=other
mta() {
	local addr=$1 cert=${CERT:-srv}
	shift
	mkdir -m 777 "$W/dump/$addr"
	/usr/bin/python3 "$MTA" "$CERTS/$cert-chain.pem" "$CERTS/$cert.key" "$W/dump/$addr" \
		--listen="$addr" "$@" >"$W/mta-$addr.out" 2>&1 &
	MTAS+=($!)
	for _ in $(seq 50); do grep -q ready "$W/mta-$addr.out" 2>/dev/null && return 0; sleep 0.1; done
	fail "tls-mta on $addr did not start: $(cat "$W/mta-$addr.out")"
	exit 1
}
for a in 2 3 4 5 7; do mta 127.0.0.$a; done
mta 127.0.0.6 --no-starttls
CERT=other mta 127.0.0.8

# send NAME ADDR RCPT [OPTIONS]: one message delivered at once; its -v
# transcript and status in $W/NAME.out, what ADDR's server got in
# $W/NAME.got, the queue in $W/NAME.queue
send() {
	local name=$1 addr=$2 rcpt=$3
	shift 3
	printf 'Subject: dane %s\n\nbody\n' "$name" |
		"$SM" -Am -odi -v "$@" "$rcpt" >"$W/$name.out" 2>&1
	echo "rc=$?" >>"$W/$name.out"
	sleep 0.2
	cat "$W/dump/$addr"/* >"$W/$name.got" 2>/dev/null
	rm -f "$W/dump/$addr"/*
	grep -h '^M' /var/spool/mqueue/qf* >"$W/$name.queue" 2>/dev/null
	rm -f /var/spool/mqueue/*
	echo "=== $name"
	cat "$W/$name.out"
}
DANE=(-O DANE=true -O ResolverOptions=+TrustAD)
delivered() { # NAME: the server got the message over TLS with SNI $2
	expect "$1: delivered over TLS" "$(cat "$W/$1.got" "$W/$1.out")" \
		'^tls: TLSv1\.[23] ' "^sni: $2\$" "^RCPT To:<u@$3>" 'Sent \(1 Message accepted|^rc=0$'
}
deferred() { # NAME: nothing sent, the message queued with sendmail's words
	if [ -s "$W/$1.got" ]; then fail "$1: the server got it: $(cat "$W/$1.got")"; else ok "$1: nothing sent"; fi
	expect "$1: deferred" "$(cat "$W/$1.out" "$W/$1.queue")" \
		'403 4\.7\.0 DANE check failed\.' '^rc=0$' '^MDeferred: 403 4\.7\.0 DANE check failed\.$'
}

send pass 127.0.0.2 u@good.dane.test "${DANE[@]}"
delivered pass mx-good.dane.test good.dane.test
send ta 127.0.0.3 u@ta.dane.test "${DANE[@]}"
delivered ta mx-ta.dane.test ta.dane.test
# the chain leads to the DANE-TA anchor, but the certificate names
# another host
send taname 127.0.0.8 u@taname.dane.test "${DANE[@]}"
deferred taname
send full 127.0.0.4 u@full.dane.test "${DANE[@]}"
delivered full mx-full.dane.test full.dane.test
send fail 127.0.0.5 u@bad.dane.test "${DANE[@]}"
deferred fail
send notls 127.0.0.6 u@notls.dane.test "${DANE[@]}"
deferred notls
# one of two records matches: that is enough
send multi 127.0.0.2 u@multi.dane.test "${DANE[@]}"
delivered multi mx-multi.dane.test multi.dane.test
# the TLSA answer does not validate (SERVFAIL): DANE_TEMP, nothing sent
send bogus 127.0.0.2 u@bogus.dane.test "${DANE[@]}"
deferred bogus
# no TLSA record (a signed denial): opportunistic TLS as without DANE
send none 127.0.0.7 u@none.dane.test "${DANE[@]}"
delivered none - none.dane.test
# a wrong TLSA record in an unsigned zone is not used
send insecure 127.0.0.2 u@open.test "${DANE[@]}"
delivered insecure - open.test
# without TrustAD glibc drops the AD bit: no DANE
send noad 127.0.0.5 u@bad.dane.test -O DANE=true
delivered noad - bad.dane.test
# DANE off (the default): the wrong record does not matter
send off 127.0.0.5 u@bad.dane.test -O ResolverOptions=+TrustAD
delivered off - bad.dane.test
finish
