#!/bin/bash
# run-perdaemon.sh SM-MTA MAKEMAP: refuseLA=, delayLA= and queueLA= of one
# daemon's DaemonPortOptions (perdaemon.sh) in the golden sandbox with a
# standalone journald: what the clients see and the lines logged about
# connections, the session's delay and the recipients must be what
# sendmail 8.17.1 showed (expected/perdaemon.{out,log},
# capture-perdaemon.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: no systemd-journald"; exit 77; }
out=$(mktemp -d /tmp/sm-mta-perdaemon.XXXXXX)
trap 'rm -rf "$out"' EXIT
"$top/tests/integration/log/journal.sh" "$out" \
	"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$(readlink -f "$2")" -- \
	timeout 100 bash "$here/perdaemon.sh" "$(readlink -f "$1")" | sed 's/ESMTP.*/ESMTP/' >"$out/got.out"
journalctl -D "$out/journal" -o json SYSLOG_FACILITY=2 | "$top/tests/integration/log/journal-to-log.py" |
	grep -E "connections on daemon|delaying=|stat=" | sed -f "$here/perdaemon-log.sed" |
	python3 "$top/tests/integration/log/normalize-log.py" >"$out/got.log" || true
rc=0
if ! diff -u "$here/expected/perdaemon.out" "$out/got.out"; then
	echo "FAIL: what the clients saw differs from sendmail 8.17.1's (expected/perdaemon.out)"
	rc=1
fi
if ! diff -u "$here/expected/perdaemon.log" "$out/got.log"; then
	echo "FAIL: the log lines differ from sendmail 8.17.1's (expected/perdaemon.log)"
	rc=1
fi
[ $rc = 0 ] && echo "ok: per-daemon refuseLA, delayLA and queueLA as sendmail 8.17.1's"
exit $rc
