#!/bin/bash
# tls.sh SENDMAIL MAKEMAP
#
# The sendmail command relaying over STARTTLS (to ../submit/tls-mta.py,
# OpenSSL through Python, with a certificate certtool makes here) logs, as
# sendmail 8.17.1's MSP does at the default LogLevel 9 (seen with the oracle
# relaying to its own MTA: expected/tls-oracle.txt),
#   STARTTLS=client, relay=[127.0.0.1], version=TLSv1.3, verify=FAIL,
#       cipher=TLS_AES_256_GCM_SHA384, bits=256/256
# without a queue ID, between its from= and to= lines; the journal entry
# has SDMAIL_EVENT=starttls, TLS_VERSION and TLS_VERIFY.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/../submit/common.sh"
start_test "$@"
install_setgid "$sendmail"
T=$(mktemp -d /tmp/sdmail-logtls.XXXXXX)
trap 'rm -rf "$inst" "$T"' EXIT
cd "$inst"
make_test_certs "$inst"

logdir=$here
here=$top/tests/integration/submit # in_sandbox hands its common.sh in
in_sandbox "$logdir/journal.sh" "$T" env SM="$inst/sendmail" CERTS="$inst" \
	MTA="$top/tests/integration/submit/tls-mta.py" bash -c '
. "$COMMON"
sandbox_setup logtls
/usr/bin/python3 "$MTA" "$CERTS/srv.pem" "$CERTS/srv.key" "$W/dump" >"$W/mta.out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q ready "$W/mta.out" 2>/dev/null && break; sleep 0.1; done
printf "Subject: over tls\n\nsecret\n" | as_nobody "$SM" -odi root
echo "rc=$?"
kill $pid; wait $pid 2>/dev/null
finish' >"$T/out" 2>&1
journalctl -D "$T/journal" -o json SYSLOG_FACILITY=2 >"$T/all.json"
/usr/bin/python3 - "$T/all.json" <<'PY' || { cat "$T/out"; exit 1; }
import json, re, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
msgs = [e["MESSAGE"] for e in entries]
fails = []
tls = [e for e in entries if e["MESSAGE"].startswith("STARTTLS=")]
rx = (r"STARTTLS=client, relay=\[127\.0\.0\.1\], version=TLSv1\.[23], verify=FAIL, "
      r"cipher=[A-Z0-9_-]+, bits=(\d+)/\1$")
if len(tls) != 1 or not re.match(rx, tls[0]["MESSAGE"]):
    fails.append("no STARTTLS=client line like /%s/" % rx)
else:
    e = tls[0]
    if (e.get("SDMAIL_EVENT"), e.get("PRIORITY"), "QUEUE_ID" in e) != ("starttls", "6", False):
        fails.append("STARTTLS entry fields: %r" % e)
    if e.get("TLS_VERIFY") != "FAIL" or not e.get("TLS_VERSION", "").startswith("TLSv1."):
        fails.append("TLS_VERIFY/TLS_VERSION: %r" % e)
order = [re.sub(r"^[0-9A-Za-x]{8}[0-9]{6}: ", "", m)[:5] for m in msgs]
if order != ["from=", "START", "to=ro"]:
    fails.append("lines: %r" % msgs)
for f in fails:
    print("FAIL:", f)
print("\n".join(msgs))
sys.exit(1 if fails else 0)
PY
echo "ok: STARTTLS=client logged"
