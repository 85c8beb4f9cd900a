#!/bin/bash
# oracle-case.sh SESSION-FILE NAME:MODE:FLAGS:TIMEOUTS...
#
# Runs inside sendmail 8.17.1's root (capture-oracle.sh): starts each
# filter (filter.py with python3-milter, staged under /opt/py, or
# hostile.py for MODE hostile-...; MODE "none"
# starts nothing) on /tmp/NAME.sock, adds its X line and InputMailFilters
# to Debian's sendmail.cf, plays SESSION-FILE through `sendmail -bs -Am -odq`
# with chat.pl and prints the transcript, then the qf and df files left
# in the queue (hf: a quarantined qf; then mailq -qQ, mailq, and the
# files a queue run and a -qQ run leave).
set -u
session=$1
shift
# the oracle's paths by default; sdmail's run (run-server-case.sh) sets
# PYTHON, FILTERS, CHAT, SM and NEWALIASES
PYTHON=${PYTHON:-/opt/py/python3} FILTERS=${FILTERS:-/opt} CHAT=${CHAT:-/opt/chat.pl}
SM=${SM:-/usr/sbin/sendmail} NEWALIASES=${NEWALIASES:-newaliases}
[ "$PYTHON" = /opt/py/python3 ] && export LD_LIBRARY_PATH=/opt/py/lib PYTHONPATH=/opt/py/lib
names=()
for spec in "$@"; do
	IFS=: read -r name mode flags timeouts <<<"$spec"
	names+=("$name")
	x="X$name, S=unix:/tmp/$name.sock"
	[ -n "$flags" ] && x="$x, F=$flags"
	[ -n "$timeouts" ] && x="$x, T=${timeouts//,/;}"
	echo "$x" >>/etc/mail/sendmail.cf
	rm -f "/tmp/$name.sock" # a stale socket would make the filter fail to bind
	if [ "$mode" != none ]; then
		prog=$FILTERS/filter.py
		case "$mode" in hostile-*) prog=$FILTERS/hostile.py mode=${mode#hostile-} ;; esac
		"$PYTHON" "$prog" "/tmp/$name.sock" "$mode" >/tmp/"$name".log 2>&1 &
		for _ in $(seq 400); do [ -S "/tmp/$name.sock" ] && break; sleep 0.05; done
		sleep 0.5 # libmilter binds, then listens
	fi
done
(IFS=,; echo "O InputMailFilters=${names[*]}") >>/etc/mail/sendmail.cf
rm -f /var/spool/mqueue/*
printf 'bad: root\nold: root\n' >>/etc/mail/aliases
$NEWALIASES >/dev/null 2>&1
perl "$CHAT" -w 0.3 -- $SM -bs -Am -odq <"$session"
echo "rc=$?"
for f in $(ls -tr /var/spool/mqueue | grep '^[qh]f'); do
	echo "--- ${f:0:2}"
	cat "/var/spool/mqueue/$f"
	echo "--- df"
	cat "/var/spool/mqueue/d${f:1}"
done
# a quarantined entry: how mailq shows it, and that a queue run leaves it
if ls /var/spool/mqueue | grep -q '^hf'; then
	echo "--- mailq -qQ"
	$SM -bp -qQ
	echo "--- mailq"
	$SM -bp
	$SM -q
	echo "--- after sendmail -q:" $(ls /var/spool/mqueue | cut -c1-2)
	$SM -qQ -v </dev/null 2>&1 | grep '^Running'
	echo "--- after sendmail -qQ:" $(ls /var/spool/mqueue | cut -c1-2)
fi
# the filters end with the case (the oracle's PID namespace would end
# them anyway; sdmail's sandbox has none)
kill $(jobs -p) 2>/dev/null
wait 2>/dev/null
exit 0
