#!/bin/bash
# run-golden.sh SENDMAIL MAKEMAP CASE
#
# One AUTH case (cases/CASE.in, see auth-drive.sh) run through sdmail's
# `sendmail -bs` in the golden sandbox with a real libsasl2 and a sasldb
# made by saslpasswd2, normalized and compared with sendmail 8.17.1's
# transcript of the same case (expected/CASE.out, capture-oracle.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
sendmail=$(readlink -f "$1") makemap=$(readlink -f "$2") name=$3
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v saslpasswd2 >/dev/null || { echo "SKIP: saslpasswd2 (sasl2-bin) missing"; exit 77; }
tmp=$(mktemp -d /tmp/sdmail-auth.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo s3cret | saslpasswd2 -f "$tmp/sasldb2" -p -c -u oracle.example.org alice
cp -a /usr/lib/x86_64-linux-gnu/sasl2 "$tmp/plugins" # the sandbox hides them
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	env SM="$sendmail" CHAT="$here/../smtpd/chat.pl" DRIVE="$here/../smtpd/drive.sh" \
	SASLDB="$tmp/sasldb2" PLUGINS="$tmp/plugins" bash "$here/auth-drive.sh" "$here/cases/$name.in" 2>&1 |
	python3 "$here/../normalize.py" >"$tmp/out"
if ! diff -u "$here/expected/$name.out" "$tmp/out"; then
	echo "FAIL: $name differs from sendmail 8.17.1's (expected/$name.out)"
	exit 1
fi
echo "ok: $name"
