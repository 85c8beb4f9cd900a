#!/bin/bash
# mailtrace-run.sh SENDMAIL SM-MTA SINK_ROOT: the traffic mailtrace.sh
# traces, run in the golden sandbox with a standalone journald.  sm-mta
# (Debian's sendmail.cf, -L sm-mta) listens on 127.0.0.1:25, Postfix's
# smtp-sink on 127.0.0.2:25; the setgid sendmail command submits through
# the client queue to sm-mta (submit.cf's [127.0.0.1]) as nobody:
#   trace-sent    to nobody@[127.0.0.2]: MSP -> sm-mta -> smtp-sink
#   trace-defer   to nobody@[127.0.0.3], where nothing listens: deferred
#   trace-bounce  to nobody@[127.0.0.4], a second smtp-sink that refuses
#                 RCPT: sm-mta returns it, and the DSN is a hop of its own
# Prints the queue IDs the test needs: "msp QID" lines from the client queue.
set -euo pipefail
sm=$1 mta=$2 sink=$3
export LD_LIBRARY_PATH=$sink/usr/lib/postfix
W=$(mktemp -d /tmp/sdmail-trace.XXXXXX)
chmod 755 "$W"
chown smmsp:smmsp /var/spool/mqueue-client && chmod 2770 /var/spool/mqueue-client
chown smmta:smmta /var/spool/mqueue && chmod 0700 /var/spool/mqueue
for f in /etc/mail/*.db; do chown root:smmta "$f" && chmod 0640 "$f"; done
"$sink/usr/sbin/smtp-sink" -u root 127.0.0.2:25 100 2>/dev/null &
sink_pid=$!
"$sink/usr/sbin/smtp-sink" -u root -f RCPT 127.0.0.4:25 100 2>/dev/null &
sink_pid="$sink_pid $!"
"$mta" -bD -O LogLevel=9 -L sm-mta </dev/null &
mta_pid=$!
trap 'kill $mta_pid $sink_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 100); do
	(exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.2/25) 2>/dev/null &&
		(exec 3<>/dev/tcp/127.0.0.4/25) 2>/dev/null && break
	sleep 0.1
done
submit() { # submit MSGID TO
	printf 'To: %s\nSubject: trace\nMessage-Id: <%s@oracle.example.org>\n\nbody\n' "$2" "$1" |
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$sm" -t
	echo "submitted $1: rc=$?"
}
submit trace-sent 'nobody@[127.0.0.2]'
submit trace-defer 'nobody@[127.0.0.3]'
submit trace-bounce 'nobody@[127.0.0.4]'
# sm-mta delivers in a child after DATA: wait for the three to= lines,
# the DSN and the DSN's own attempt
for _ in $(seq 100); do
	[ "$(journalctl --quiet SYSLOG_IDENTIFIER=sm-mta SDMAIL_EVENT=to 2>/dev/null | wc -l)" -ge 4 ] &&
		[ "$(journalctl --quiet SYSLOG_IDENTIFIER=sm-mta SDMAIL_EVENT=dsn 2>/dev/null | wc -l)" -ge 1 ] &&
		break
	sleep 0.1
done
sleep 0.3
