#!/bin/bash
# run-port-case.sh SM-MTA SENDMAIL MAKEMAP
#
# port-case.sh (per-port InputMailFilters=) with sdmail's sm-mta over TCP
# in the golden sandbox, compared with sendmail 8.17.1's daemon on the
# same case (expected/ports.out, capture-ports.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
smmta=$(readlink -f "$1") sendmail=$(readlink -f "$2") makemap=$(readlink -f "$3")
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
/usr/bin/python3 -c 'import Milter' 2>/dev/null || { echo "SKIP: python3-milter missing"; exit 77; }
out=$(mktemp /tmp/sdmail-milter-ports.XXXXXX)
trap 'rm -f "$out"' EXIT
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	env PYTHON=/usr/bin/python3 FILTERS="$here" CHAT="$here/../smtpd/chat.pl" DAEMON="$smmta" \
	NEWALIASES="$sendmail -bi" \
	QUEUE_OWNER=smmta bash -c 'mount -t tmpfs tmpfs /tmp && exec "$@"' private-tmp \
	bash "$here/port-case.sh" "$here/session.txt" 2>&1 |
	python3 "$here/../normalize.py" >"$out"
if ! diff -u "$here/expected/ports.out" "$out"; then
	echo "FAIL: per-port filters differ from sendmail 8.17.1's (expected/ports.out)"
	exit 1
fi
echo "ok: ports"
