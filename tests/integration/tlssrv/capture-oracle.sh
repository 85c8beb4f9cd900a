#!/bin/bash
# capture-oracle.sh [CASE...]: sendmail 8.17.1 (../shared/tools/sendmail-oracle)
# as the SMTP client of every case (cases/NAME.access), against its own MTA
# with and without STARTTLS (oracle-inside.sh); the -v transcripts and log
# lines, normalized, go to expected/NAME.out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
. "$here/common.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
make_tls_dirs "$t"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$here/cases" && ls ./*.access | sed 's|^\./||; s|\.access$||')
mkdir -p "$here/expected"
for name in "${cases[@]}"; do
	"$oracle" shell --file "$t/tls:/opt/tls" --file "$t/other:/opt/other" \
		--file "$here/../log/syslog-listen.pl:/opt/listen.pl" --file "$here/cases:/opt/cases" \
		--file "$here/oracle-inside.sh:/opt/inside.sh" bash /opt/inside.sh "$name" |
		python3 "$here/../clientauth/normalize.py" >"$here/expected/$name.out"
	echo "captured $name"
done
