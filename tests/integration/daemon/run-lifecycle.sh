#!/bin/bash
# run-lifecycle.sh SM-MTA MAKEMAP: lifecycle.py in the golden sandbox (root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
exec "$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$(readlink -f "$2")" -- \
	timeout 150 python3 "$here/lifecycle.py" "$(readlink -f "$1")"
