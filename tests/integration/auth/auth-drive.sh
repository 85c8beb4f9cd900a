#!/bin/bash
# auth-drive.sh CASE_FILE
# auth-drive.sh --exec COMMAND...    (the same set-up, then COMMAND)
#
# An AUTH case run the same way in the sendmail 8.17 oracle and in
# sdmail's sandbox (both have private mounts): a Cyrus SASL application
# config /usr/lib/sasl2/Sendmail.conf (sasldb auxprop, mech_list PLAIN
# LOGIN CRAM-MD5 DIGEST-MD5) with the user alice@oracle.example.org
# (password s3cret) in its sasldb, the case's "#cf LINE" lines appended
# to /etc/mail/sendmail.cf, then ../smtpd/drive.sh on the rest of the
# case.  $SASLDB is a sasldb2 file made by saslpasswd2 (the oracle has
# no sasl2-bin); $PLUGINS, when set, a directory of SASL plugins to
# install first (the oracle has only libsasldb, the golden sandbox hides
# the host's).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case_file=$1
sasl=$(mktemp -d)
cp "$here/Sendmail.conf" "$sasl/Sendmail.conf"
cp "$SASLDB" "$sasl/sasldb2"
chmod 600 "$sasl/sasldb2"
mkdir -p /usr/lib/sasl2
mount --bind "$sasl" /usr/lib/sasl2
if [ -n "${PLUGINS:-}" ]; then cp -a "$PLUGINS"/. /usr/lib/x86_64-linux-gnu/sasl2/; fi
if [ "$case_file" = --exec ]; then
	shift
	exec "$@"
fi
grep '^#cf ' "$case_file" | sed 's/^#cf //' >>/etc/mail/sendmail.cf
rest=$(mktemp)
grep -v '^#cf ' "$case_file" >"$rest"
bash "$DRIVE" "$rest"
