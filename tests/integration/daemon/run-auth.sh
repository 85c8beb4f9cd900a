#!/bin/bash
# run-auth.sh SM-MTA MAKEMAP: auth.py in the golden sandbox with a real
# libsasl2 and sasldb (tests/integration/auth/sasl-sandbox.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../auth/sasl-sandbox.sh" "$2" -- --exec \
	timeout 150 /usr/bin/python3 "$here/auth.py" "$(readlink -f "$1")"
