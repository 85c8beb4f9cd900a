#!/bin/bash
# capture-oracle.sh SINK_CACHE [CASE...]
#
# Runs the MX cases (cases/, see drive.sh) in sendmail 8.17.1
# (../shared/tools/sendmail-oracle: Debian's sendmail.cf, host name
# oracle.example.org, resolv.conf naming 127.0.0.1) with dnsmasq and
# smtp-sink copied in from this machine, and stores the normalized
# transcript in expected/CASE.out and what sendmail logged (a /dev/log
# listener, ../log/syslog-listen.pl) in expected/CASE.log.  A case whose
# output is random in part has cases/CASE.sed to even it out.  SINK_CACHE as
# for ../submit/capture-oracle.sh; dnsmasq comes from dnsmasq-base.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
sink=$(cd "$1" && pwd)/root
shift
libs=$(mktemp -d)
trap 'rm -rf "$libs"' EXIT
mkdir "$libs/pf" "$libs/dns"
LD_LIBRARY_PATH=$sink/usr/lib/postfix ldd "$sink/usr/sbin/smtp-sink" |
	awk '/=> \// && !/postfix/ {print $3}' | xargs -I{} cp -L {} "$libs/pf/"
ldd /usr/sbin/dnsmasq | awk '/=> \// {print $3}' | xargs -I{} cp -L {} "$libs/dns/"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$here/cases" && ls ./*.sh | sed 's|^\./||; s|\.sh$||')
for name in "${cases[@]}"; do
	"$oracle" shell  --file "$here:/opt/mx" --file "$here/drive.sh:/opt/drive.sh" --file "$here/cases/$name.sh:/opt/case.sh" \
		--file "$here/zone.conf:/opt/zone.conf" --file /usr/sbin/dnsmasq:/opt/dnsmasq \
		--file "$here/../log/syslog-listen.pl:/opt/listen.pl" \
		--file "$sink:/opt/pf" --file "$libs:/opt/libs" \
		bash -c 'perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
			while [ ! -S /dev/log ]; do sleep 0.1; done
			env SM=/usr/sbin/sendmail SINK_ROOT=/opt/pf SINK_LIBS=/opt/libs/pf \
				DNSMASQ=/opt/dnsmasq DNS_LIBS=/opt/libs/dns ZONE=/opt/zone.conf \
				MXDIR=/opt/mx MAKEMAP=/usr/sbin/makemap \
				bash /opt/drive.sh /opt/case.sh >/tmp/out.txt 2>&1
			sleep 0.5; kill $L
			cat /tmp/out.txt; echo "=== log"; cat /tmp/syslog.txt' >"$libs/raw"
	filter=cat
	[ -f "$here/cases/$name.sed" ] && filter="sed -f $here/cases/$name.sed"
	sed '/^=== log$/,$d' "$libs/raw" | python3 "$here/../normalize.py" | $filter >"$here/expected/$name.out"
	sed '1,/^=== log$/d' "$libs/raw" | grep -E '^<(1[6-9]|2[0-3])>' | $filter | python3 "$here/../log/normalize-log.py" >"$here/expected/$name.log"
	echo "captured $name"
done
