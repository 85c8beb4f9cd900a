#!/bin/bash
# run-golden.sh SENDMAIL MAKEMAP CASE
#
# One `sendmail -bs` case (cases/CASE.in, see drive.sh) run with sdmail's
# sendmail in the golden sandbox (the oracle's host name, users and
# Debian's configuration), normalized and compared with sendmail 8.17.1's
# transcript of the same case (expected/CASE.out, capture-oracle.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
sendmail=$(readlink -f "$1") makemap=$(readlink -f "$2") name=$3
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
out=$(mktemp /tmp/sdmail-bs.XXXXXX)
trap 'rm -f "$out"' EXIT
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	env SM="$sendmail" CHAT="$here/chat.pl" POLICY_CF="$here/policy.cf" bash "$here/drive.sh" "$here/cases/$name.in" 2>&1 |
	python3 "$here/../normalize.py" >"$out"
if ! diff -u "$here/expected/$name.out" "$out"; then
	echo "FAIL: $name differs from sendmail 8.17.1's (expected/$name.out)"
	exit 1
fi
echo "ok: $name"
