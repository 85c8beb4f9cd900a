#!/bin/bash
# capture-loadavg.sh: what sendmail 8.17.1's daemon (../shared/tools/
# sendmail-oracle, Debian's sendmail.cf: MTA-v4 on port 25, MSP-v4 on 587)
# logs about the load average, read from a file bind-mounted over
# /proc/loadavg in the oracle's private mount namespace: at 99 (over the
# default RefuseLA) it refuses connections, at 7 with DelayLA=5 it delays
# them.  The lines about connections go to expected/loadavg.log, which
# run-loadavg.sh compares with sm-mta's journal (loadavg.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
"$oracle" shell --file "$here/../log/syslog-listen.pl:/opt/listen.pl" bash -c '
	perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
	while [ ! -S /dev/log ]; do sleep 0.1; done
	mkdir -p /run/sendmail/mta
	: > /tmp/loadavg
	mount --bind /tmp/loadavg /proc/loadavg
	for run in "99.00" "7.00 -ODelayLA=5"; do
		set -- $run
		echo "$1 1.00 1.00 1/100 1234" > /tmp/loadavg
		shift
		/usr/sbin/sendmail -bd "$@"
		sleep 2
		timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/25 && timeout 2 head -1 <&3" >/dev/null 2>&1
		kill "$(pgrep -o sendmail)"
		sleep 1
	done
	sleep 0.5; kill $L; cat /tmp/syslog.txt' |
	grep "connections on daemon" | python3 "$here/../log/normalize-log.py" >"$here/expected/loadavg.log"
cat "$here/expected/loadavg.log"
