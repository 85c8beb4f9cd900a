#!/bin/bash
# run-server-case.sh SENDMAIL MAKEMAP CASE
#
# One case of oracle-cases.txt played through sdmail's own SMTP server
# (`sendmail -bs -Am` in the golden sandbox, with the same python3-milter
# filters and the same session as the oracle) and compared with sendmail
# 8.17.1's transcript and queue files (expected/oracle-CASE.out).  The
# filters' sockets are in a /tmp of the case's own.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
sendmail=$(readlink -f "$1") makemap=$(readlink -f "$2") name=$3
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
/usr/bin/python3 -c 'import Milter' 2>/dev/null || { echo "SKIP: python3-milter missing"; exit 77; }
line=$(grep "^$name " "$here/oracle-cases.txt")
specs=${line#* }
session=session.txt
if [[ "$specs" == @* ]]; then
	session=${specs%% *}
	session=${session#@}
	specs=${specs#* }
fi
out=$(mktemp /tmp/sdmail-milter.XXXXXX)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086 # the filter specs are words
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	env PYTHON=/usr/bin/python3 FILTERS="$here" CHAT="$here/../smtpd/chat.pl" SM="$sendmail" \
	NEWALIASES="$sendmail -bi" bash -c 'mount -t tmpfs tmpfs /tmp && exec "$@"' private-tmp \
	bash "$here/oracle-case.sh" "$here/$session" $specs 2>&1 |
	python3 "$here/../normalize.py" >"$out"
if ! diff -u "$here/expected/oracle-$name.out" "$out"; then
	echo "FAIL: $name differs from sendmail 8.17.1's (expected/oracle-$name.out)"
	exit 1
fi
echo "ok: $name"
