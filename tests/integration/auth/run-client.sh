#!/bin/bash
# run-client.sh AUTH_CLIENT SENDMAIL MAKEMAP
#
# auth-client (smtp_auth() with authinfo entries) against sdmail's
# `sendmail -bs` in the golden sandbox with a real libsasl2 and a sasldb
# (sasl-sandbox.sh).
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/sasl-sandbox.sh" "$3" -- --exec bash -c '
	echo "O AuthMechanisms=LOGIN PLAIN CRAM-MD5 DIGEST-MD5" >>/etc/mail/sendmail.cf
	exec "$0" "$1"' "$(readlink -f "$1")" "$(readlink -f "$2")"
