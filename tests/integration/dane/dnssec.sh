# dnssec.sh: a validating DNS chain for the DANE tests; sourced, not run.
#
#   dnssec_start DIR CERTS   in a private network namespace (root, lo up):
#       nsd on 127.0.0.53:53 serves dane.test, signed here with
#       ldns-keygen/ldns-signzone, and open.test, unsigned; unbound on
#       127.0.0.1:53 is the validating resolver (the trust anchor is the DS
#       of dane.test's key, nothing else is trusted, nothing is forwarded),
#       so answers from dane.test come back with the AD bit and answers from
#       open.test without it.  TLSA records are computed from CERTS/srv.pem
#       and CERTS/ca.pem with openssl (an implementation other than the
#       GnuTLS under test).
#   dnssec_stop              stops both servers
# Zone contents (MX hosts at 127.0.0.2-8):
#   good.dane.test   MX mx-good   TLSA 3 1 1 (server's SPKI, SHA-256)
#   ta.dane.test     MX mx-ta     TLSA 2 0 1 (the CA certificate, SHA-256)
#   taname.dane.test MX mx-taname TLSA 2 0 1 (same CA), but the server's
#                                 certificate does not carry that name
#   full.dane.test   MX mx-full   TLSA 3 0 0 (the server certificate itself)
#   bad.dane.test    MX mx-bad    TLSA 3 1 1 (a hash of something else)
#   notls.dane.test  MX mx-notls  TLSA 3 1 1 (right), server without STARTTLS
#   none.dane.test   MX mx-none   no TLSA record
#   multi.dane.test  MX mx-multi  TLSA 3 1 1 (wrong) and 3 1 1 (right)
#   bogus.dane.test  MX mx-bogus  TLSA changed after signing: the resolver
#                                 answers SERVFAIL
#   open.test        MX mx        TLSA 3 1 1 (wrong) in an unsigned zone
DNSSEC_PIDS=()

dnssec_tlsa_spki() { # CERT: 3 1 1 data
	openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER |
		sha256sum | cut -d' ' -f1
}
dnssec_tlsa_cert() { # CERT: x 0 1 data
	openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1
}

dnssec_zones() {
	local d=$1 c=$2 spki ca full
	spki=$(dnssec_tlsa_spki "$c/srv.pem")
	ca=$(dnssec_tlsa_cert "$c/ca.pem")
	full=$(openssl x509 -in "$c/srv.pem" -outform DER | od -An -v -tx1 | tr -d ' \n')
	cat >"$d/dane.test.zone" <<ZONE
\$ORIGIN dane.test.
\$TTL 300
@		SOA	ns hostmaster 1 3600 600 86400 300
@		NS	ns
ns		A	127.0.0.53
good		MX	10 mx-good
mx-good		A	127.0.0.2
_25._tcp.mx-good TLSA	3 1 1 $spki
ta		MX	10 mx-ta
mx-ta		A	127.0.0.3
_25._tcp.mx-ta	TLSA	2 0 1 $ca
taname		MX	10 mx-taname
mx-taname	A	127.0.0.8
_25._tcp.mx-taname TLSA	2 0 1 $ca
full		MX	10 mx-full
mx-full		A	127.0.0.4
_25._tcp.mx-full TLSA	3 0 0 $full
bad		MX	10 mx-bad
mx-bad		A	127.0.0.5
_25._tcp.mx-bad	TLSA	3 1 1 $(printf 'not this key' | sha256sum | cut -d' ' -f1)
notls		MX	10 mx-notls
mx-notls	A	127.0.0.6
_25._tcp.mx-notls TLSA	3 1 1 $spki
none		MX	10 mx-none
mx-none		A	127.0.0.7
multi		MX	10 mx-multi
mx-multi	A	127.0.0.2
_25._tcp.mx-multi TLSA	3 1 1 $(printf 'not this key' | sha256sum | cut -d' ' -f1)
_25._tcp.mx-multi TLSA	3 1 1 $spki
bogus		MX	10 mx-bogus
mx-bogus	A	127.0.0.2
_25._tcp.mx-bogus TLSA	3 1 1 $spki
ZONE
	cat >"$d/open.test.zone" <<ZONE
\$ORIGIN open.test.
\$TTL 300
@		SOA	ns.dane.test. hostmaster 1 3600 600 86400 300
@		NS	ns.dane.test.
@		MX	10 mx
mx		A	127.0.0.2
_25._tcp.mx	TLSA	3 1 1 $(printf 'not this key' | sha256sum | cut -d' ' -f1)
ZONE
	(cd "$d" && ldns-keygen -a ECDSAP256SHA256 -k dane.test >ksk &&
		ldns-keygen -a ECDSAP256SHA256 dane.test >zsk &&
		ldns-signzone -n dane.test.zone "$(cat zsk)" "$(cat ksk)" &&
		ldns-key2ds -n -2 "$(cat ksk).key" >anchor.ds) >/dev/null || return 1
	# a record that no longer matches its signature
	sed -i -E "/^_25\._tcp\.mx-bogus\.dane\.test\.[[:space:]].*TLSA/s/$spki/$(dnssec_tlsa_cert "$c/ca.pem")/" \
		"$d/dane.test.zone.signed"
	grep -Eq "^_25\._tcp\.mx-bogus\..*TLSA[[:space:]]+3 1 1 $(dnssec_tlsa_cert "$c/ca.pem")" \
		"$d/dane.test.zone.signed"
}

dnssec_start() {
	local d=$1 c=$2
	dnssec_zones "$d" "$c" || { echo "FAIL: could not sign the test zone"; return 1; }
	cat >"$d/nsd.conf" <<CONF
server:
	ip-address: 127.0.0.53
	port: 53
	username: ""
	zonesdir: "$d"
	database: ""
	pidfile: "$d/nsd.pid"
	xfrdfile: "$d/xfrd.state"
	zonelistfile: "$d/zone.list"
	logfile: "$d/nsd.log"
	hide-version: yes
remote-control:
	control-enable: no
zone:
	name: dane.test
	zonefile: dane.test.zone.signed
zone:
	name: open.test
	zonefile: open.test.zone
CONF
	cat >"$d/unbound.conf" <<CONF
server:
	interface: 127.0.0.1
	port: 53
	username: ""
	chroot: ""
	directory: "$d"
	pidfile: "$d/unbound.pid"
	use-syslog: no
	logfile: "$d/unbound.log"
	verbosity: 1
	do-daemonize: no
	do-not-query-localhost: no
	do-ip6: no
	module-config: "validator iterator"
	trust-anchor-file: "$d/anchor.ds"
	local-zone: "test." nodefault
	cache-max-ttl: 0
	cache-max-negative-ttl: 0
	val-log-level: 2
stub-zone:
	name: "dane.test"
	stub-addr: 127.0.0.53@53
stub-zone:
	name: "open.test"
	stub-addr: 127.0.0.53@53
CONF
	nsd -d -c "$d/nsd.conf" >"$d/nsd.out" 2>&1 &
	DNSSEC_PIDS+=($!)
	unbound -d -c "$d/unbound.conf" >"$d/unbound.out" 2>&1 &
	DNSSEC_PIDS+=($!)
	for _ in $(seq 50); do
		(exec 3<>/dev/tcp/127.0.0.1/53) 2>/dev/null &&
			(exec 3<>/dev/tcp/127.0.0.53/53) 2>/dev/null && return 0
		sleep 0.1
	done
	echo "FAIL: nsd or unbound did not start"
	cat "$d"/nsd.out "$d"/nsd.log "$d"/unbound.out "$d"/unbound.log 2>/dev/null
	return 1
}

dnssec_stop() {
	local p
	for p in "${DNSSEC_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${DNSSEC_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	DNSSEC_PIDS=()
}
