#!/bin/bash
# drive.sh CASE_FILE
#
# Runs one 8->7 bit conversion case (a bash snippet from cases/) the same
# way in the sendmail 8.17 oracle and in sdmail's sandbox: the MTA
# (sendmail -Am, Debian's sendmail.cf) delivers to Postfix's smtp-sink on
# 127.0.0.2:25 through the esmtp mailer (no F=8); the case shows the
# command's output and exit status and what smtp-sink received.
#   SM          the sendmail binary under test (run as root: the MTA)
#   SINK_ROOT   an unpacked postfix .deb (usr/sbin/smtp-sink)
#   SINK_LIBS   extra library directories smtp-sink needs (may be empty)
# Runs as root in a private network namespace where 127.0.0.2:25 is free.
set -u
export LD_LIBRARY_PATH=$SINK_ROOT/usr/lib/postfix${SINK_LIBS:+:$SINK_LIBS}
W=$(mktemp -d /tmp/sdmail-case.XXXXXX)
chmod 755 "$W"
mkdir "$W/dump" && chmod 777 "$W/dump"
SINK_PID=

# smtp-sink on 127.0.0.2:25 with extra options (-8: no 8BITMIME)
sink() {
	nosink
	"$SINK_ROOT/usr/sbin/smtp-sink" -u root -d "$W/dump/%H%M%S." "$@" 127.0.0.2:25 100 \
		2>/dev/null &
	SINK_PID=$!
	for _ in $(seq 50); do
		(exec 3<>/dev/tcp/127.0.0.2/25) 2>/dev/null && return 0
		sleep 0.1
	done
	echo "smtp-sink did not start" >&2
	exit 1
}
nosink() {
	if [ -n "$SINK_PID" ]; then
		kill "$SINK_PID" 2>/dev/null
		wait "$SINK_PID" 2>/dev/null
		SINK_PID=
	fi
}
# the messages smtp-sink received since the last call
received() {
	sleep 0.3
	for f in $(ls "$W/dump" | sort); do
		echo "--- received"
		cat "$W/dump/$f"
	done
	rm -f "$W/dump"/*
}
# run a command, then show its exit status
run() {
	"$@" 2>&1
	echo "rc=$?"
}
# send [SENDMAIL OPTIONS]: the message on standard input from the MTA to
# nobody@[127.0.0.2] (the esmtp mailer), delivered at once, then what
# the sink received
send() {
	run "$SM" -Am -odi "$@" 'nobody@[127.0.0.2]'
	received
}

cd "$W"
# shellcheck source=/dev/null
. "$1"
nosink
cd /
rm -rf "$W"
