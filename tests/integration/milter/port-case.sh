#!/bin/bash
# port-case.sh SESSION-FILE
#
# Per-port filters (DaemonPortOptions InputMailFilters=), run the same way
# in sendmail 8.17.1's root (capture-ports.sh, sendmail -bD) and in
# sdmail's sandbox (run-port-case.sh, sm-mta -bD): three python3-milter
# filters in "pass" mode (each adds X-Seen headers, and reports the
# headers it saw, so the queued message shows which filters ran in which
# order), the global InputMailFilters naming all three, port 25 (MTA-v4)
# with only "second", port 587 (MSP-v4, without its M=Ea) with "third;first"
# (a list separated by semicolons: commas end the key=value).  The daemon
# gets one message on each port over TCP (chat.pl), then the qf files
# left in the queue are printed, port 25's first.
set -u
session=$1
PYTHON=${PYTHON:-/opt/py/python3} FILTERS=${FILTERS:-/opt} CHAT=${CHAT:-/opt/chat.pl}
DAEMON=${DAEMON:-/usr/sbin/sendmail} NEWALIASES=${NEWALIASES:-newaliases}
[ "$PYTHON" = /opt/py/python3 ] && export LD_LIBRARY_PATH=/opt/py/lib PYTHONPATH=/opt/py/lib
q=/var/spool/mqueue
for name in first second third; do
	echo "X$name, S=unix:/tmp/$name.sock" >>/etc/mail/sendmail.cf
	rm -f "/tmp/$name.sock"
	# a socket sm-mta can connect to as its own user
	(umask 0 && exec "$PYTHON" "$FILTERS/filter.py" "/tmp/$name.sock" pass >"/tmp/$name.log" 2>&1) &
	for _ in $(seq 400); do [ -S "/tmp/$name.sock" ] && break; sleep 0.05; done
done
sleep 0.5 # libmilter binds, then listens
echo "O InputMailFilters=first,second,third" >>/etc/mail/sendmail.cf
sed -i -e '/^O DaemonPortOptions=.*Name=MTA-v4/s/$/, InputMailFilters=second/' \
	-e '/^O DaemonPortOptions=.*Name=MSP-v4/s/ M=Ea,//' \
	-e '/^O DaemonPortOptions=.*Name=MSP-v4/s/$/, InputMailFilters=third;first/' \
	/etc/mail/sendmail.cf
rm -f "$q"/*
printf 'bad: root\nold: root\n' >>/etc/mail/aliases # as oracle-case.sh
$NEWALIASES >/dev/null 2>&1
if [ -n "${QUEUE_OWNER:-}" ]; then
	# sm-mta gives up root for this user: its queue, maps it can read
	chown "$QUEUE_OWNER" "$q"
	for m in /etc/mail/*.db; do
		[ -e "$m" ] && chgrp "$QUEUE_OWNER" "$m" && chmod g+r "$m"
	done
fi
$DAEMON -bD -odq </dev/null 2>/dev/null &
daemon=$!
for port in 25 587; do
	for _ in $(seq 100); do
		perl -MIO::Socket::INET -e 'exit !IO::Socket::INET->new(PeerAddr => $ARGV[0], Proto => "tcp")' \
			"127.0.0.1:$port" 2>/dev/null && break
		sleep 0.1
	done
done
sleep 0.5 # the probes were connections too
for port in 25 587; do
	perl "$CHAT" -w 0.3 --tcp "127.0.0.1:$port" <"$session"
	echo "rc=$?"
	sleep 0.5
done
kill -TERM "$daemon"
wait "$daemon" 2>/dev/null
# the client's port, which the filters see, changes from run to run
for f in $(ls -tr "$q" | grep '^qf'); do
	echo "--- qf"
	sed -E "s/'127\.0\.0\.1', [0-9]+/'127.0.0.1', PORT/" "$q/$f"
done
kill $(jobs -p) 2>/dev/null
wait 2>/dev/null
exit 0
