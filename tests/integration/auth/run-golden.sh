#!/bin/bash
# run-golden.sh SENDMAIL MAKEMAP CASE
#
# One AUTH case (cases/CASE.in, see auth-drive.sh) run through sdmail's
# `sendmail -bs` in the golden sandbox with a real libsasl2 and a sasldb
# (sasl-sandbox.sh), normalized and compared with sendmail 8.17.1's
# transcript of the same case (expected/CASE.out, capture-oracle.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sendmail=$(readlink -f "$1") name=$3
out=$(mktemp /tmp/sdmail-auth-out.XXXXXX)
trap 'rm -f "$out"' EXIT
set +e
SM="$sendmail" CHAT="$here/../smtpd/chat.pl" DRIVE="$here/../smtpd/drive.sh" \
	bash "$here/sasl-sandbox.sh" "$2" -- "$here/cases/$name.in" >"$out.raw" 2>&1
rc=$?
set -e
[ $rc = 77 ] && { cat "$out.raw"; rm -f "$out.raw"; exit 77; }
python3 "$here/../normalize.py" <"$out.raw" >"$out"
rm -f "$out.raw"
if ! diff -u "$here/expected/$name.out" "$out"; then
	echo "FAIL: $name differs from sendmail 8.17.1's (expected/$name.out)"
	exit 1
fi
echo "ok: $name"
