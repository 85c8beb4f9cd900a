#!/bin/bash
# capture-oracle.sh [CASE...]: sendmail 8.17.1 (../shared/tools/sendmail-oracle)
# as the SMTP AUTH client of every case (cases/*.authinfo), against its own
# MTA as the STARTTLS/AUTH server (oracle-inside.sh); the -v transcripts and
# log lines, normalized, go to expected/NAME.out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
. "$here/common.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
make_ca_dir "$t/tls"
echo s3cret | saslpasswd2 -f "$t/sasldb2" -p -c -u mx.peer.test alice
cp "$here/Sendmail.conf" "$t/Sendmail.conf"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$here/cases" && ls ./*.authinfo | sed 's|^\./||; s|\.authinfo$||')
mkdir -p "$here/expected"
# the client's sendmail.cf as the oracle's m4 made it: the sdmail side uses it too
"$oracle" shell --file "$here/oracle-inside.sh:/opt/inside.sh" bash -c \
	'sed -n "/^# the client:/,/^m4 /p" /opt/inside.sh | bash && grep -v "^##### built by" /etc/mail/client.cf' \
	>"$here/client.cf"
for name in "${cases[@]}"; do
	"$oracle" shell --file "$t/tls:/opt/tls" --file "$here/../log/syslog-listen.pl:/opt/listen.pl" \
		--file "$t:/opt/ca" --file "$here/cases:/opt/cases" \
		--file "/usr/lib/x86_64-linux-gnu/sasl2:/opt/plugins" \
		--file "$here/oracle-inside.sh:/opt/inside.sh" bash /opt/inside.sh "$name" |
		python3 "$here/normalize.py" >"$here/expected/$name.out"
	echo "captured $name"
done
