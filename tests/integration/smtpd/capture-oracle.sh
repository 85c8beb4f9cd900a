#!/bin/bash
# capture-oracle.sh [CASE...]
#
# Runs the `sendmail -bs` cases (cases/*.in, see drive.sh) in sendmail
# 8.17.1 (../shared/tools/sendmail-oracle, Debian's configuration) and
# stores the normalized transcripts in expected/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$here/cases" && ls ./*.in | sed 's|^\./||; s|\.in$||')
for name in "${cases[@]}"; do
	"$oracle" shell --file "$here/drive.sh:/opt/drive.sh" --file "$here/chat.pl:/opt/chat.pl" \
		--file "$here/cases/$name.in:/opt/case.in" --file "$here/policy.cf:/opt/policy.cf" \
		env SM=/usr/sbin/sendmail CHAT=/opt/chat.pl POLICY_CF=/opt/policy.cf bash /opt/drive.sh /opt/case.in 2>&1 |
		python3 "$here/../normalize.py" >"$here/expected/$name.out"
	echo "captured $name"
done
