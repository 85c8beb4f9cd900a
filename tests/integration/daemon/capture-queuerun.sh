#!/bin/bash
# capture-queuerun.sh SINK_CACHE: how many queue runs sendmail 8.17.1
# (../shared/tools/sendmail-oracle, Debian's sendmail.cf) has delivering
# at once, to expected/queuerun.txt.  Six messages wait in its queue for
# Postfix's smtp-sink on 127.0.0.2 (SINK_CACHE as for ../smtp-sink.sh),
# which takes three seconds before it answers each message's data; the
# daemon (-bd -q2s) starts a run every two seconds for 14 seconds with
# MaxQueueChildren and MaxRunnersPerQueue as given, then `sendmail -q`
# runs the queue once with both at 3.  Counted: the processes that
# logged a to= line (each run is one process delivering one entry after
# the other), and any line logged about children or runners (none: a run
# held back by MaxQueueChildren is skipped without a word).  queuerun.py
# checks sm-mta against these.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../oracle-sink.sh"
oracle_sink_setup "$here" "$1" x
out=$here/expected/queuerun.txt
: >"$out"
for run in "-bd -q2s 1 1" "-bd -q2s 3 1" "-bd -q2s 3 3" "-q 3 3"; do
	set -- $run
	mode=("$1")
	[ "$1" = -bd ] && { mode+=("$2"); shift; }
	shift
	"$oracle" shell --file "$here/../log/syslog-listen.pl:/opt/listen.pl" \
		--file "$sink:/opt/pf" --file "$libs:/opt/libs" bash -c '
		perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
		while [ ! -S /dev/log ]; do sleep 0.1; done
		LD_LIBRARY_PATH=/opt/pf/usr/lib/postfix:/opt/libs /opt/pf/usr/sbin/smtp-sink \
			-u root -w 3 127.0.0.2:25 100 2>/dev/null & S=$!
		sleep 0.5
		for i in 1 2 3 4 5 6; do
			printf "Subject: m$i\n\nbody\n" | /usr/sbin/sendmail -Am -odq "u$i@[127.0.0.2]"
		done
		/usr/sbin/sendmail -Am "$@"
		sleep 20
		pkill -o sendmail; sleep 1; kill $S $L
		cat /tmp/syslog.txt' sh "${mode[@]}" -OMaxQueueChildren="$1" -OMaxRunnersPerQueue="$2" \
		-OLogLevel=20 >"$libs/log.txt"
	runners=$(grep 'stat=Sent' "$libs/log.txt" | sed 's/.*sendmail\[\([0-9]*\)\].*/\1/' | sort -u | wc -l)
	sent=$(grep -c 'stat=Sent' "$libs/log.txt" || true)
	said=$(grep -v 'started as:' "$libs/log.txt" | grep -ciE 'child|runner' || true)
	echo "sendmail ${mode[*]} MaxQueueChildren=$1 MaxRunnersPerQueue=$2: $sent sent by $runners runs, $said lines about children or runners" >>"$out"
done
cat "$out"
