#!/bin/bash
# run-net-golden.sh SM-MTA MAKEMAP CASE
#
# One SMTP-over-TCP case (net-cases/CASE.in, see netdrive.sh) run with
# sdmail's sm-mta in the golden sandbox, normalized and compared with
# sendmail 8.17.1's daemon on the same case (expected/net-CASE.out,
# capture-net.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
smmta=$(readlink -f "$1") makemap=$(readlink -f "$2") name=$3
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
out=$(mktemp /tmp/sdmail-net.XXXXXX)
trap 'rm -f "$out"' EXIT
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	env DAEMON="$smmta" QUEUE_OWNER=smmta CHAT="$here/chat.pl" \
	bash "$here/netdrive.sh" "$here/net-cases/$name.in" 2>&1 |
	python3 "$here/../normalize.py" >"$out"
if ! diff -u "$here/expected/net-$name.out" "$out"; then
	echo "FAIL: $name differs from sendmail 8.17.1's (expected/net-$name.out)"
	exit 1
fi
echo "ok: $name"
