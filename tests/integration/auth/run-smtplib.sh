#!/bin/bash
# run-smtplib.sh SENDMAIL MAKEMAP
#
# smtplib-auth.py (a real client: Python's smtplib) against sdmail's
# `sendmail -bs` in the golden sandbox with a real libsasl2 and a sasldb
# (sasl-sandbox.sh).
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/sasl-sandbox.sh" "$2" -- --exec bash -c '
	echo "O AuthMechanisms=LOGIN PLAIN CRAM-MD5 DIGEST-MD5" >>/etc/mail/sendmail.cf
	exec /usr/bin/python3 "$0" "$1"' "$here/smtplib-auth.py" "$(readlink -f "$1")"
