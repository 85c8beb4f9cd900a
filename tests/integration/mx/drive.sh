#!/bin/bash
# drive.sh CASE_FILE
#
# Runs one MX routing case (a bash snippet from cases/) the same way in the
# sendmail 8.17.1 oracle and in sdmail's golden sandbox, and prints what the
# case shows: the commands' -v transcripts and exit statuses, and which
# smtp-sink received which message.  The surroundings are real: dnsmasq
# serving zone.conf on 127.0.0.1:53 (the resolv.conf of both roots points
# there), Postfix's smtp-sink on 127.0.0.2, .3, .4 port 25 as the MX hosts.
#   SM          the sendmail binary under test
#   SINK_ROOT   an unpacked postfix .deb (usr/sbin/smtp-sink)
#   SINK_LIBS   extra library directories smtp-sink needs (may be empty)
#   DNSMASQ     the dnsmasq binary; DNS_LIBS the libraries it needs (may be empty)
#   ZONE        zone.conf
#   MXDIR       this directory (mailertable.cf, mailertable)
#   MAKEMAP     the makemap that goes with SM
# Runs as root in a private network namespace where only loopback is up.
set -u
W=$(mktemp -d /tmp/sdmail-mx.XXXXXX)
chmod 755 "$W"
mkdir "$W/dump" && chmod 777 "$W/dump"
SINKS=()
DNS_PID=

# dns [DNSMASQ OPTIONS]: (re)start the name server with zone.conf
dns() {
	nodns
	LD_LIBRARY_PATH=${DNS_LIBS:-} "$DNSMASQ" -C "$ZONE" --user=root --pid-file="$W/dns.pid" \
		--keep-in-foreground --log-facility=- "$@" 2>/dev/null &
	DNS_PID=$!
	for _ in $(seq 50); do
		[ -s "$W/dns.pid" ] && return 0
		sleep 0.1
	done
	echo "dnsmasq did not start" >&2
	exit 1
}
nodns() {
	if [ -n "$DNS_PID" ]; then
		kill "$DNS_PID" 2>/dev/null
		wait "$DNS_PID" 2>/dev/null
		DNS_PID=
		rm -f "$W/dns.pid"
	fi
}

# sink ADDR [SMTP-SINK OPTIONS]: smtp-sink on ADDR port 25 (IPv4 or IPv6),
# dumps named after ADDR
sink() {
	local addr=$1 listen=$1:25
	shift
	case $addr in *:*) listen="[$addr]:25" ;; esac
	LD_LIBRARY_PATH=$SINK_ROOT/usr/lib/postfix${SINK_LIBS:+:$SINK_LIBS} \
		"$SINK_ROOT/usr/sbin/smtp-sink" -u root -d "$W/dump/$addr-%M%S." "$@" "$listen" 100 \
		2>/dev/null &
	SINKS+=($!)
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/$addr/25") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "smtp-sink on $addr did not start" >&2
	exit 1
}
nosinks() {
	local p
	for p in "${SINKS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${SINKS[@]}"; do wait "$p" 2>/dev/null; done
	SINKS=()
}

# which sink received what since the last call: its address, the envelope
received() {
	local f
	sleep 0.3
	for f in $(ls "$W/dump" | sort); do
		echo "--- received by ${f%%-*}"
		grep -E '^X-(Mail|Rcpt)-Args: ' "$W/dump/$f"
		# a DSN: its transcript and what it says per recipient
		sed -n '/^   ----- Transcript of session follows -----$/,/^--/p' "$W/dump/$f" | sed '$d'
		grep -E '^(Final-Recipient|Action|Status|Remote-MTA|Diagnostic-Code): ' "$W/dump/$f"
	done
	rm -f "$W/dump"/*
}

# run CMD...: the command's output, then its exit status
run() {
	"$@" 2>&1
	echo "rc=$?"
}
# send ADDR... [-- OPTIONS]: a message from root through sendmail.cf, delivered at once
send() {
	local rcpts=() opts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do rcpts+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	opts=("$@")
	printf 'Subject: mx\n\nbody\n' | run "$SM" -Am -odi -v "${opts[@]}" "${rcpts[@]}"
}
# the MTA queue, one entry per block (in the order of their recipients):
# its status message and recipients
queue() {
	local f
	for f in $(grep -l '^R' /var/spool/mqueue/qf* 2>/dev/null); do
		printf '%s %s\n' "$(grep -m1 '^R' "$f")" "$f"
	done | sort | while read -r _ f; do
		echo "--- queued"
		grep -E '^(M|R)' "$f"
	done
}
clean_queue() { rm -f /var/spool/mqueue/*; }
# a sendmail.cf with FEATURE(mailertable) and F=0 on the relay mailer
# (mailertable.mc), its map built from MXDIR/mailertable; sets $MTCF
mailertable() {
	MTCF=/etc/mail/mailertable.cf
	cp "$MXDIR/mailertable.cf" "$MTCF"
	"$MAKEMAP" hash /etc/mail/mailertable <"$MXDIR/mailertable"
}

clean_queue
dns
cd "$W"
# shellcheck source=/dev/null
. "$1"
nosinks
nodns
clean_queue
cd /
rm -rf "$W"
