#!/bin/bash
# capture-oracle.sh [CASE...]: sendmail 8.17.1 (../shared/tools/sendmail-oracle)
# as the SMTP AUTH client of every case (cases/*.authinfo), against its own
# MTA as the STARTTLS/AUTH server (oracle-inside.sh); the -v transcripts and
# log lines, normalized, go to expected/NAME.out.
#
# capture-oracle.sh --postfix: the same client against Postfix with Cyrus
# SASL (postfix-peer.sh: a copy of ../shared/tools/peer-mta's Postfix root,
# $PEER_MTA_CACHE/postfix, run in the oracle's network namespace) for the
# cases of postfix-cases.txt, into expected/postfix/NAME.out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
. "$here/common.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
make_ca_dir "$t/tls"
echo s3cret | saslpasswd2 -f "$t/sasldb2" -p -c -u mx.peer.test alice
cp "$t/sasldb2" "$t/sasldb2-postfix"
cp "$here/Sendmail.conf" "$t/Sendmail.conf"
if [ "${1:-}" = --postfix ]; then
	pfroot=${PEER_MTA_CACHE:-/var/cache/peer-mta}/postfix
	mapfile -t cases <"$here/postfix-cases.txt"
	"$oracle" shell --file "$t/tls:/opt/tls" --file "$here/../log/syslog-listen.pl:/opt/listen.pl" \
		--file "$t:/opt/ca" --file "$here/cases:/opt/cases" \
		--file "/usr/lib/x86_64-linux-gnu/sasl2:/opt/plugins" --file "$pfroot:/opt/pfroot" \
		--file "$here/postfix-peer.sh:/opt/postfix-peer.sh" \
		--file "$here/oracle-inside.sh:/opt/inside.sh" \
		env SERVER=postfix bash /opt/inside.sh "${cases[@]}" >"$t/raw" || { cat "$t/raw"; exit 1; }
	mkdir -p "$here/expected/postfix"
	/usr/bin/python3 "$here/compare.py" --split "$t/raw" "$here/expected/postfix"
	echo "captured postfix: ${cases[*]}"
	exit 0
fi
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$here/cases" && ls ./*.authinfo | sed 's|^\./||; s|\.authinfo$||' |
		while read -r c; do [ -f "$c.postfix" ] || echo "$c"; done)
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
