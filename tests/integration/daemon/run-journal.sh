#!/bin/bash
# run-journal.sh SM-MTA MAKEMAP: sm-mta's session log lines in a real
# journal (standalone journald, tests/integration/log/journal.sh): the
# MESSAGE texts as sendmail 8.17.1 writes them and the structured fields.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: no systemd-journald"; exit 77; }
out=$(mktemp -d /tmp/sm-mta-journal.XXXXXX)
trap 'rm -rf "$out"' EXIT
"$top/tests/integration/log/journal.sh" "$out" \
	"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$(readlink -f "$2")" -- \
	timeout 100 python3 "$here/journal-session.py" "$(readlink -f "$1")"
journalctl -D "$out/journal" -o json SYSLOG_IDENTIFIER=sm-mta-test | python3 -c '
import json, re, sys
entries = [json.loads(l) for l in sys.stdin]
failures = 0
def check(cond, what):
    global failures
    print(("ok: " if cond else "FAIL: ") + what)
    failures += not cond
def find(pattern):
    return [e for e in entries if re.search(pattern, e["MESSAGE"])]
for e in entries:
    print("  " + e["MESSAGE"])
tls = find(r"^STARTTLS=server, relay=oracle\.example\.org \[127\.0\.0\.1\], version=TLSv1\.[23], verify=NO, cipher=\S+, bits=\d+/\d+$")
check(len(tls) == 1, "STARTTLS=server line")
frm = find(r"^\w{14}: from=<root@oracle\.example\.org>, size=\d+, class=0, nrcpts=1, msgid=<journal-test@client\.example\.com>, proto=ESMTPS, daemon=MTA-v4, relay=oracle\.example\.org \[127\.0\.0\.1\]$")
check(len(frm) == 1, "from= line with the queue ID, proto=ESMTPS and daemon=MTA-v4")
if frm:
    e = frm[0]
    check(e.get("QUEUE_ID") == e["MESSAGE"][:14], "QUEUE_ID field")
    check(e.get("SMTP_FROM") == "<root@oracle.example.org>", "SMTP_FROM field")
    check(e.get("SYSLOG_FACILITY") == "2" and e.get("PRIORITY") == "6", "mail facility, LOG_INFO")
    check(e.get("SDMAIL_EVENT") == "from", "SDMAIL_EVENT=from")
# the refusal, the from= line of the transaction that ended at QUIT and
# the journal field share the ID the transaction got at MAIL (sendmail 8.17.1)
rej = find(r"^\w{14}: ruleset=check_rcpt, arg1=<root@oracle\.example\.org>, relay=\[10\.9\.9\.9\], reject=451 4\.1\.8 Domain of sender address someone@unresolvable\.example does not resolve$")
check(len(rej) == 1, "check_rcpt reject line (delay_checks) under the queue ID of the transaction")
if rej:
    qid = rej[0]["MESSAGE"][:14]
    check(rej[0].get("PRIORITY") == "5", "reject at LOG_NOTICE")
    check(rej[0].get("QUEUE_ID") == qid, "QUEUE_ID field of the reject line")
    ended = find(r"^" + qid + r": from=<someone@unresolvable\.example>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=\[10\.9\.9\.9\]$")
    check(len(ended) == 1, "from= line of the transaction that ended without DATA, same ID")
lost = find(r"^\w{14}: lost input channel from oracle\.example\.org \[127\.0\.0\.1\] to MTA-v4 after mail$")
check(len(lost) == 1, "lost input channel line under the queue ID of the transaction")
if lost:
    qid = lost[0]["MESSAGE"][:14]
    check(lost[0].get("QUEUE_ID") == qid, "QUEUE_ID field of the lost input line")
    ended = find(r"^" + qid + r": from=<root@oracle\.example\.org>, size=0, class=0, nrcpts=0, proto=SMTP, daemon=MTA-v4, relay=oracle\.example\.org \[127\.0\.0\.1\]$")
    check(len(ended) == 1, "from= line of the transaction left by the client, same ID")
sys.exit(1 if failures else 0)'
