#!/bin/bash
# run-loadavg.sh SM-MTA MAKEMAP: RefuseLA and DelayLA (loadavg.py) in the
# golden sandbox with a standalone journald; the log lines about refused
# and delayed connections must be those sendmail 8.17.1 logged for the
# same loads (expected/loadavg.log, capture-loadavg.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: no systemd-journald"; exit 77; }
out=$(mktemp -d /tmp/sm-mta-loadavg.XXXXXX)
trap 'rm -rf "$out"' EXIT
"$top/tests/integration/log/journal.sh" "$out" \
	"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$(readlink -f "$2")" -- \
	timeout 100 python3 "$here/loadavg.py" "$(readlink -f "$1")"
journalctl -D "$out/journal" -o json SYSLOG_FACILITY=2 | "$top/tests/integration/log/journal-to-log.py" |
	grep "connections on daemon" | python3 "$top/tests/integration/log/normalize-log.py" >"$out/got.log" || true
if ! diff -u "$here/expected/loadavg.log" "$out/got.log"; then
	echo "FAIL: the log lines differ from sendmail 8.17.1's (expected/loadavg.log)"
	exit 1
fi
echo "ok: log lines as sendmail 8.17.1's"
