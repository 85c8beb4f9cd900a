#!/bin/bash
# tls.sh SENDMAIL MAKEMAP
#
# The sendmail command relaying with STARTTLS: an MTA that offers it
# (tls-mta.py, OpenSSL through Python, with a certificate certtool makes
# here) gets the message over TLS, the -v transcript shows the handshake
# commands; an MTA whose handshake fails leaves the message in the client
# queue as "Deferred: 403 4.7.0 TLS handshake failed.".  Run as nobody
# through the setgid binary in the golden sandbox.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/common.sh"
start_test "$@"
install_setgid "$sendmail"
cd "$inst"
make_test_certs "$inst"

in_sandbox env SM="$inst/sendmail" CERTS="$inst" MTA="$here/tls-mta.py" bash -c '
. "$COMMON"
sandbox_setup tls
start_mta() {
	# emptied first: the shell opens the redirection only once the job
	# runs, and the loop below must not find the "ready" of the last server
	: > "$W/mta.out"
	/usr/bin/python3 "$MTA" "$CERTS/srv.pem" "$CERTS/srv.key" "$W/dump" "$@" > "$W/mta.out" 2>&1 &
	MTA_PID=$!
	for _ in $(seq 50); do grep -q ready "$W/mta.out" 2>/dev/null && return; sleep 0.1; done
	fail "tls-mta did not start: $(cat "$W/mta.out")"
}
stop_mta() { kill "$MTA_PID"; wait "$MTA_PID" 2>/dev/null; }
has() { grep -Fxq -- "$2" <<<"$1" && ok "$3" || { fail "$3: no line \"$2\" in:"; echo "$1"; }; }

start_mta
out=$(printf "Subject: over tls\n\nsecret\n" | as_nobody "$SM" -v -odi root 2>&1)
rc=$?
[ $rc = 0 ] && ok "exit 0" || fail "exit $rc"
has "$out" ">>> STARTTLS" "STARTTLS sent"
has "$out" "220 2.0.0 Ready to start TLS" "its reply shown"
[ "$(grep -c "^>>> EHLO" <<<"$out")" = 2 ] && ok "EHLO again after the handshake" || fail "EHLO count: $out"
# the server announces no ENHANCEDSTATUSCODES: sendmail 8.17.1 then
# quotes its reply with the code (tests/integration/mx mflags-esmtp)
has "$out" "root... Sent (2.0.0 queued as 1)" "sent"
sleep 0.3
msg=$(cat "$W/dump/001.msg" 2>/dev/null)
grep -Eq "^tls: TLSv1\.[23] " <<<"$msg" && ok "the MTA got it over TLS" || fail "not over TLS: $msg"
grep -q "^secret.$" <<<"$msg" && ok "body intact" || fail "body: $msg"
stop_mta

start_mta --broken-tls
out=$(printf "Subject: broken tls\n\nx\n" | as_nobody "$SM" -v -odi root 2>&1)
rc=$?
[ $rc = 0 ] && ok "broken TLS: exit 0 (queued)" || fail "broken TLS: exit $rc"
has "$out" "root... Deferred: 403 4.7.0 TLS handshake failed." "broken TLS: deferred"
grep -q "^MDeferred: 403 4.7.0 TLS handshake failed.$" "$CQ"/qf* && ok "broken TLS: in the queue" ||
	fail "broken TLS: not queued"
stop_mta
finish
'
