#!/bin/bash
# netdrive.sh CASE_FILE
#
# One SMTP-over-TCP case, run the same way in the sendmail 8.17 oracle
# (sendmail -bD) and in sdmail's sandbox (sm-mta -bD): the case's first
# line is "#! CHAT-OPTIONS -- HOST:PORT -- DAEMON-ARGS", the rest is the
# client's side (chat.pl).  Starts the daemon in the foreground, waits
# until HOST:PORT accepts, runs the chat, stops the daemon, then prints
# the qf files the session left in the MTA queue.  $DAEMON is the daemon
# command, $CHAT the path of chat.pl; $QUEUE_OWNER, when set, gets the
# queue directory and group read access to the maps (sm-mta gives up
# root for that user).
set -u
case_file=$1
header=$(head -1 "$case_file")
rest=${header#\#! }
chat_opts=${rest%% -- *}
rest=${rest#* -- }
target=${rest%% -- *}
daemon_args=${rest#* -- }
host=${target%:*} port=${target##*:}
q=/var/spool/mqueue
# a second address for clients that are not "127" in the access map
# (the oracle's root has no iproute2: capture-net.sh lends the host's)
if command -v ip >/dev/null; then
	ip addr add 10.9.9.9/32 dev lo
elif [ -d /opt/iptools ]; then
	/opt/iptools/ld-linux-x86-64.so.2 --library-path /opt/iptools /opt/iptools/ip \
		addr add 10.9.9.9/32 dev lo
fi
rm -f "$q"/*
if [ -n "${QUEUE_OWNER:-}" ]; then
	# sm-mta runs as the daemon user: its queue, and maps it can read
	chown "$QUEUE_OWNER" "$q"
	for m in /etc/mail/*.db; do
		[ -e "$m" ] && chgrp "$QUEUE_OWNER" "$m" && chmod g+r "$m"
	done
fi
# "#access KEY VALUE" lines of the case go into the access map first
if grep -q '^#access ' "$case_file"; then
	grep '^#access ' "$case_file" | sed 's/^#access //; s/ /\t/' >> /etc/mail/access
	"${SANDBOX_MAKEMAP:-makemap}" hash /etc/mail/access < /etc/mail/access
	[ -n "${QUEUE_OWNER:-}" ] && chgrp "$QUEUE_OWNER" /etc/mail/access.db && chmod g+r /etc/mail/access.db
fi
# shellcheck disable=SC2086 # options are words
# (its log lines, on standard error without a journal, are not part of
# the transcript: sendmail without syslog writes none)
$DAEMON $daemon_args </dev/null 2>/dev/null &
daemon=$!
for _ in $(seq 100); do
	if perl -MIO::Socket::INET -e 'exit !IO::Socket::INET->new(PeerAddr => $ARGV[0], Proto => "tcp")' "$target" 2>/dev/null; then
		break
	fi
	sleep 0.1
done
# the probe above was a connection too: let its session end first
sleep 0.5
if [[ "$chat_opts" == --burst* ]]; then
	# "--burst N --from ADDR": N connections in a row (burst.pl)
	read -r _ count _ from <<<"$chat_opts"
	perl "$(dirname "$CHAT")/burst.pl" "$count" "$from" "$host:$port"
else
	# shellcheck disable=SC2086 # options are words
	tail -n +2 "$case_file" | grep -v '^#access ' | perl "$CHAT" $chat_opts --tcp "$host:$port"
fi
echo "rc=$?"
sleep 0.5
kill -TERM "$daemon"
wait "$daemon" 2>/dev/null
for f in $(ls -tr "$q" | grep '^qf'); do
	echo "--- $q/qf"
	cat "$q/$f"
done
