#!/bin/bash
# sasl-sandbox.sh MAKEMAP -- COMMAND...
#
# Runs COMMAND in the golden sandbox (tests/golden/sandbox.sh: the
# oracle's host name, users and Debian configuration) with a real
# libsasl2 set up as auth-drive.sh describes: the user alice / s3cret in
# a sasldb made by saslpasswd2, Sendmail.conf, the host's SASL plugins
# (which the sandbox hides).  COMMAND is given to auth-drive.sh: a case
# file, or --exec and a command.  Exits 77 (skip) without root or
# saslpasswd2.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
makemap=$(readlink -f "$1")
shift
[ "${1:-}" = "--" ] && shift
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v saslpasswd2 >/dev/null || { echo "SKIP: saslpasswd2 (sasl2-bin) missing"; exit 77; }
tmp=$(mktemp -d /tmp/sdmail-auth.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo s3cret | saslpasswd2 -f "$tmp/sasldb2" -p -c -u oracle.example.org alice
cp -a /usr/lib/x86_64-linux-gnu/sasl2 "$tmp/plugins"
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	env SASLDB="$tmp/sasldb2" PLUGINS="$tmp/plugins" bash "$here/auth-drive.sh" "$@"
