#!/bin/bash
# capture-net.sh [CASE...]
#
# Runs the SMTP-over-TCP cases (net-cases/*.in, see netdrive.sh) against
# sendmail 8.17.1's daemon (`sendmail -bD` in ../shared/tools/sendmail-oracle,
# Debian's configuration) and stores the normalized transcripts in
# expected/net-CASE.out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$here/net-cases" && ls ./*.in | sed 's|^\./||; s|\.in$||')
# the host's iproute2 with its libraries, for the second client address
iptools=$(mktemp -d)
trap 'rm -rf "$iptools"' EXIT
cp "$(command -v ip)" "$iptools/"
ldd "$(command -v ip)" | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' |
	while read -r lib; do cp -L "$lib" "$iptools/"; done
for name in "${cases[@]}"; do
	"$oracle" shell --file "$iptools:/opt/iptools" --file "$here/netdrive.sh:/opt/netdrive.sh" --file "$here/chat.pl:/opt/chat.pl" \
		--file "$here/burst.pl:/opt/burst.pl" \
		--file "$here/net-cases/$name.in:/opt/case.in" \
		env DAEMON=/usr/sbin/sendmail CHAT=/opt/chat.pl bash /opt/netdrive.sh /opt/case.in 2>&1 |
		python3 "$here/../normalize.py" >"$here/expected/net-$name.out"
	echo "captured $name"
done
