#!/bin/bash
# run-client.sh AUTH_CLIENT SENDMAIL MAKEMAP
#
# auth-client (smtp_auth() with authinfo entries) against sdmail's
# `sendmail -bs` in the golden sandbox with a real libsasl2 and a sasldb
# made by saslpasswd2 (auth-drive.sh sets them up).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
client=$(readlink -f "$1") sendmail=$(readlink -f "$2") makemap=$(readlink -f "$3")
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v saslpasswd2 >/dev/null || { echo "SKIP: saslpasswd2 (sasl2-bin) missing"; exit 77; }
tmp=$(mktemp -d /tmp/sdmail-auth.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo s3cret | saslpasswd2 -f "$tmp/sasldb2" -p -c -u oracle.example.org alice
cp -a /usr/lib/x86_64-linux-gnu/sasl2 "$tmp/plugins" # the sandbox hides them
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	env SASLDB="$tmp/sasldb2" PLUGINS="$tmp/plugins" bash "$here/auth-drive.sh" --exec bash -c '
	echo "O AuthMechanisms=LOGIN PLAIN CRAM-MD5 DIGEST-MD5" >>/etc/mail/sendmail.cf
	exec "$0" "$1"' "$client" "$sendmail"
