#!/bin/bash
# capture-perdaemon.sh: sendmail 8.17.1's daemon (../shared/tools/
# sendmail-oracle) with load limits of the MTA daemon's own
# (perdaemon.sed: refuseLA=5, delayLA=3, queueLA=3 in its
# DaemonPortOptions) at the loads 7, 4 and 1 of a file bind-mounted over
# /proc/loadavg: what clients on ports 25 and 587 see (perdaemon-smtp.sh,
# to expected/perdaemon.out) and the lines logged about connections and
# recipients, and the session's DelayLA line (expected/perdaemon.log); perdaemon.py does the same with
# sm-mta.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
sed -f "$here/perdaemon.sed" "$here/../../golden/etc/debian/mail/sendmail.cf" >/tmp/perdaemon.cf.$$
trap 'rm -f /tmp/perdaemon.cf.$$' EXIT
"$oracle" shell --file "$here/../log/syslog-listen.pl:/opt/listen.pl" \
	--file "$here/perdaemon-smtp.sh:/opt/smtp.sh" --file "/tmp/perdaemon.cf.$$:/etc/mail/perdaemon.cf" bash -c '
	perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
	while [ ! -S /dev/log ]; do sleep 0.1; done
	mkdir -p /run/sendmail/mta
	: >/tmp/loadavg
	mount --bind /tmp/loadavg /proc/loadavg
	for run in "7.00 25 587" "4.00 25:u@[127.0.0.2]" "1.00 25:v@[127.0.0.2]"; do
		set -- $run
		echo "=== load $1"
		echo "$1 1.00 1.00 1/100 1234" >/tmp/loadavg
		shift
		/usr/sbin/sendmail -C/etc/mail/perdaemon.cf -bd
		sleep 2
		for p in "$@"; do bash /opt/smtp.sh ${p/:/ } 2>&1; done
		sleep 2
		kill "$(pgrep -o sendmail)"
		sleep 1
	done
	kill $L; echo "=== log"; cat /tmp/syslog.txt' >/tmp/perdaemon.raw.$$
sed '/^=== log$/,$d' /tmp/perdaemon.raw.$$ | sed 's/ESMTP.*/ESMTP/' >"$here/expected/perdaemon.out"
sed '1,/^=== log$/d' /tmp/perdaemon.raw.$$ | grep -E "connections on daemon|delaying=|stat=" | sed -f "$here/perdaemon-log.sed" |
	python3 "$here/../log/normalize-log.py" >"$here/expected/perdaemon.log"
rm -f /tmp/perdaemon.raw.$$
cat "$here/expected/perdaemon.out" "$here/expected/perdaemon.log"
