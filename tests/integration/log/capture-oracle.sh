#!/bin/bash
# capture-oracle.sh SINK_CACHE [CASE...]
#
# What sendmail 8.17.1 logs (../shared/tools/sendmail-oracle) for the
# submission cases of cases/: a small listener (syslog-listen.pl) plays
# /dev/log inside the oracle's root, the case runs with drive.sh of the
# submission tests, and the syslog lines ("<PRI>tag[pid]: text") are stored
# normalized in expected/CASE.log.  SINK_CACHE as for
# ../submit/capture-oracle.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../oracle-sink.sh"
oracle_sink_setup "$here" "$@"
mkdir -p "$here/expected"
for name in "${cases[@]}"; do
	"$oracle" shell --file "$here/../submit/drive.sh:/opt/drive.sh" --file "$here/cases/$name.sh:/opt/case.sh" \
		--file "$here/syslog-listen.pl:/opt/listen.pl" \
		--file "$sink:/opt/pf" --file "$libs:/opt/pflibs" \
		bash -c 'perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
			while [ ! -S /dev/log ]; do sleep 0.1; done
			env SM=/usr/sbin/sendmail SINK_ROOT=/opt/pf SINK_LIBS=/opt/pflibs MAILQ=/usr/bin/mailq \
				bash /opt/drive.sh /opt/case.sh >/dev/null 2>&1
			sleep 0.5; kill $L; cat /tmp/syslog.txt' |
		python3 "$here/normalize-log.py" >"$here/expected/$name.log"
	echo "captured $name"
done
