#!/bin/bash
# run.sh EDITMAP MAKEMAP: session.sh with sdmail's editmap and makemap,
# compared byte for byte with sendmail 8.17.1's (expected/session.out).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
editmap=$(readlink -f "$1") makemap=$(readlink -f "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
out=$(cd "$work" && EDITMAP=$editmap MAKEMAP=$makemap bash "$here/session.sh")
if ! diff -u "$here/expected/session.out" <(printf '%s\n' "$out" | sed "s|$editmap|/usr/sbin/editmap|g"); then
	echo "FAIL: editmap differs from sendmail 8.17.1's (expected/session.out)"
	exit 1
fi
echo "ok: editmap session identical to sendmail 8.17.1's"
