#!/bin/bash
# run-smtplib.sh SENDMAIL MAKEMAP
#
# smtplib-auth.py (a real client: Python's smtplib) against sdmail's
# `sendmail -bs` in the golden sandbox with a real libsasl2 and a sasldb
# made by saslpasswd2 (auth-drive.sh sets them up).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
sendmail=$(readlink -f "$1") makemap=$(readlink -f "$2")
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v saslpasswd2 >/dev/null || { echo "SKIP: saslpasswd2 (sasl2-bin) missing"; exit 77; }
tmp=$(mktemp -d /tmp/sdmail-auth.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo s3cret | saslpasswd2 -f "$tmp/sasldb2" -p -c -u oracle.example.org alice
cp -a /usr/lib/x86_64-linux-gnu/sasl2 "$tmp/plugins" # the sandbox hides them
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	env SASLDB="$tmp/sasldb2" PLUGINS="$tmp/plugins" bash "$here/auth-drive.sh" --exec bash -c '
	echo "O AuthMechanisms=LOGIN PLAIN CRAM-MD5 DIGEST-MD5" >>/etc/mail/sendmail.cf
	exec /usr/bin/python3 "$0" "$1"' "$here/smtplib-auth.py" "$sendmail"
