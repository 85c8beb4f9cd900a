#!/bin/bash
# run-py.sh SCRIPT SM-MTA MAKEMAP: a Python test of sm-mta (SCRIPT.py
# here) in the golden sandbox (root, Debian's configuration).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
exec "$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$(readlink -f "$3")" -- \
	timeout 150 python3 "$here/$1.py" "$(readlink -f "$2")"
