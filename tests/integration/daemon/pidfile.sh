#!/bin/bash
# pidfile.sh SM-MTA: `sm-mta -bd` started by hand (no service manager)
# goes to the background and writes sendmail's PID file — the process id,
# then the command line — and that process is the daemon, running as
# smmta under sendmail's title; SIGTERM ends it.  Run inside the golden
# sandbox (run-py.sh's set-up, by run-pidfile.sh).
set -u
smmta=$1
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
chown smmta /var/spool/mqueue
chgrp smmta /etc/mail/*.db && chmod g+r /etc/mail/*.db
mkdir -p /run/sendmail/mta
pidfile=/run/sendmail/mta/sendmail.pid # Debian's PidFile (/var/run/...)
rm -f "$pidfile"
env -u INVOCATION_ID -u NOTIFY_SOCKET -u LISTEN_FDS "$smmta" -bd -q30m
check "-bd returns at once with status 0" "[ $? = 0 ]"
for _ in $(seq 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
pid=$(head -1 "$pidfile")
check "the PID file's second line is the command line" "[ \"\$(sed -n 2p $pidfile)\" = \"$smmta -bd -q30m\" ]"
check "the process is the daemon, as smmta" \
	"[ \"\$(ps -o user= -p $pid)\" = smmta ] && ps -o args= -p $pid | grep -q '^sendmail: accepting connections'"
check "it listens on port 25" "grep -q ':0019 ' /proc/net/tcp"
kill "$pid"
for _ in $(seq 50); do [ "$(ps -o stat= -p "$pid")" = Zs ] || [ -z "$(ps -o stat= -p "$pid")" ] && break; sleep 0.1; done
check "SIGTERM ends it" "[ -z \"\$(ps -o stat= -p $pid | grep -v Z)\" ]"
exit $fail
