#!/bin/bash
# run.sh CASE SM-MTA MAKEMAP CF SINK_CACHE: the reliability test CASE
# (reliab.py) in the golden sandbox, with Postfix's smtp-sink and
# smtp-source from SINK_CACHE (../fetch-sink.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
"$here/../fetch-sink.sh" "$5" || exit $?
exec "$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$(readlink -f "$3")" -- \
	timeout 140 /usr/bin/python3 "$here/reliab.py" "$1" "$(readlink -f "$2")" \
	"$(readlink -f "$3")" "$(readlink -f "$4")" "$(cd "$5" && pwd)/root"
