#!/bin/bash
# capture-oracle.sh [CASE...]
#
# Runs the AUTH cases (cases/*.in, see auth-drive.sh) with sendmail
# 8.17.1 in the oracle (../../../../shared/tools/sendmail-oracle), the
# host's SASL plugins copied in, and stores the normalized transcripts
# in expected/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
smtpd=$here/../smtpd
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
plugins=/usr/lib/x86_64-linux-gnu/sasl2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo s3cret | saslpasswd2 -f "$tmp/sasldb2" -p -c -u oracle.example.org alice
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$here/cases" && ls ./*.in | sed 's|^\./||; s|\.in$||')
for name in "${cases[@]}"; do
	"$oracle" shell --file "$smtpd/drive.sh:/opt/drive.sh" --file "$smtpd/chat.pl:/opt/chat.pl" \
		--file "$here/auth-drive.sh:/opt/auth/auth-drive.sh" \
		--file "$here/Sendmail.conf:/opt/auth/Sendmail.conf" \
		--file "$tmp/sasldb2:/opt/sasldb2" --file "$plugins:/opt/plugins" \
		--file "$here/cases/$name.in:/opt/case.in" \
		env SM=/usr/sbin/sendmail CHAT=/opt/chat.pl DRIVE=/opt/drive.sh SASLDB=/opt/sasldb2 \
		PLUGINS=/opt/plugins bash /opt/auth/auth-drive.sh /opt/case.in 2>&1 |
		python3 "$here/../normalize.py" >"$here/expected/$name.out"
	echo "captured $name"
done
