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
. "$here/../oracle-sink.sh"
oracle_sink_setup "$here" "$@"
mkdir "$libs/dns"
ldd /usr/sbin/dnsmasq | awk '/=> \// {print $3}' | xargs -I{} cp -L {} "$libs/dns/"
raw=$(mktemp)
trap 'rm -rf "$libs" "$raw"' EXIT
for name in "${cases[@]}"; do
	"$oracle" shell --file "$here:/opt/mx" --file "$here/cases/$name.sh:/opt/case.sh" \
		--file /usr/sbin/dnsmasq:/opt/dnsmasq \
		--file "$here/../log/syslog-listen.pl:/opt/listen.pl" \
		--file "$sink:/opt/pf" --file "$libs:/opt/libs" \
		bash -c 'perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
			while [ ! -S /dev/log ]; do sleep 0.1; done
			env SM=/usr/sbin/sendmail SINK_ROOT=/opt/pf SINK_LIBS=/opt/libs \
				DNSMASQ=/opt/dnsmasq DNS_LIBS=/opt/libs/dns ZONE=/opt/mx/zone.conf \
				MXDIR=/opt/mx MAKEMAP=/usr/sbin/makemap \
				bash /opt/mx/drive.sh /opt/case.sh >/tmp/out.txt 2>&1
			sleep 0.5; kill $L
			cat /tmp/out.txt; echo "=== log"; cat /tmp/syslog.txt' >"$raw"
	filter=cat
	[ -f "$here/cases/$name.sed" ] && filter="sed -f $here/cases/$name.sed"
	sed '/^=== log$/,$d' "$raw" | python3 "$here/../normalize.py" | $filter >"$here/expected/$name.out"
	sed '1,/^=== log$/d' "$raw" | { grep -E '^<(1[6-9]|2[0-3])>' || true; } | python3 "$here/../log/normalize-log.py" | $filter >"$here/expected/$name.log"
	echo "captured $name"
done
