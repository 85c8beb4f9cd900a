#!/bin/bash
# run-log-golden.sh SENDMAIL MAKEMAP SINK_CACHE CASE
#
# One case of cases/ (run by ../submit/drive.sh: sdmail's setgid sendmail
# against Postfix's smtp-sink in the golden sandbox) with a standalone
# journald (journal.sh).  The journal's mail-facility entries, written as
# syslog lines, must be the lines sendmail 8.17.1 logged for the same case
# (expected/CASE.log, capture-oracle.sh), normalized alike, less the lines
# expected/CASE.notyet names on both sides (what sdmail does not do, or
# not alike, yet); then the
# structured fields are checked (check-journal.py), `journalctl QUEUE_ID=`
# included.  Needs root; skipped (77) without it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/../submit/common.sh"
name=$4
start_test "$@"
install_setgid "$sendmail"
T=$(mktemp -d /tmp/sdmail-log.XXXXXX)
trap 'rm -rf "$inst" "$T"' EXIT

in_sandbox "$here/journal.sh" "$T" env SM="$inst/sendmail" SINK_ROOT="$cache/root" SINK_LIBS= \
	bash "$top/tests/integration/submit/drive.sh" "$here/cases/$name.sh" >"$T/out" 2>&1 || true
journalctl -D "$T/journal" -o json SYSLOG_FACILITY=2 >"$T/all.json"
"$here/journal-to-log.py" <"$T/all.json" | python3 "$here/normalize-log.py" >"$T/got.log"
# lines of what sdmail's sendmail command does not log (alike) yet
cp "$here/expected/$name.log" "$T/want.log"
if [ -f "$here/expected/$name.notyet" ]; then
	grep -Ev -f "$here/expected/$name.notyet" "$here/expected/$name.log" >"$T/want.log"
	grep -Ev -f "$here/expected/$name.notyet" "$T/got.log" >"$T/got.cmp" || true
	mv "$T/got.cmp" "$T/got.log"
fi
if ! diff -u "$T/want.log" "$T/got.log"; then
	echo "FAIL: $name: the journal differs from sendmail 8.17.1's log (expected/$name.log)"
	cat "$T/out"
	exit 1
fi
qid=$(python3 -c 'import json,sys
for l in sys.stdin:
    e = json.loads(l)
    if "QUEUE_ID" in e: print(e["QUEUE_ID"]); break' <"$T/all.json")
journalctl -D "$T/journal" -o json QUEUE_ID="$qid" >"$T/one.json"
python3 "$here/check-journal.py" "$qid" "$T/all.json" "$T/one.json"
echo "ok: $name"
