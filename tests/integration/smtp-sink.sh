#!/bin/sh
# smtp-sink.sh SMTP_SEND MESSAGES_DIR CACHE_DIR
#
# lib/smtp/client against Postfix's smtp-sink, a real SMTP server that
# dumps every message it receives.  smtp-sink comes from Debian's postfix
# package (fetch-sink.sh: downloaded once into CACHE_DIR, unpacked, nothing
# installed); when it cannot be had the test is skipped (exit 77).  Each
# case starts its own smtp-sink with the options under test, sends with
# SMTP_SEND, and SMTP_SEND --check-sink compares the dump files byte by
# byte with what was sent (envelope and message, the DATA encoding undone
# by smtp-sink).  Transcripts show whether commands were pipelined.
set -u
send=$1 messages=$2 cache=$3
py=/usr/bin/python3
failures=0

skip() {
	echo "SKIP: $*"
	exit 77
}

"$(dirname "$0")/fetch-sink.sh" "$cache" || exit $?
sink="$cache/root/usr/sbin/smtp-sink"
[ -x "$py" ] || skip "no $py"

work=$(mktemp -d "${TMPDIR:-/tmp}/sdmail-sink.XXXXXX") || exit 1
chmod 0755 "$work"
sink_pid=
cleanup() {
	[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

user_opt=
[ "$(id -u)" = 0 ] && user_opt="-u nobody"

# the address smtp-sink listens on: 127.0.0.1, or ::1 for the IPv6 case
addr=127.0.0.1

free_port() {
	"$py" -c 'import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.bind((sys.argv[1], 0))
print(s.getsockname()[1])' "$addr"
}

# wait_port PORT: until something accepts connections there (5 s at most)
wait_port() {
	"$py" -c 'import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection((sys.argv[1], int(sys.argv[2])), 0.1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)' "$addr" "$1"
}

# start_sink NAME [SMTP-SINK OPTIONS]: a fresh sink dumping into $work/NAME;
# sets $port and $dump
start_sink() {
	name=$1
	shift
	stop_sink
	dump="$work/$name"
	mkdir -p "$dump" && chmod 0777 "$dump"
	for _ in 1 2 3 4 5; do
		port=$(free_port)
		# shellcheck disable=SC2086 # user_opt is one or no word pair
		LD_LIBRARY_PATH="$cache/root/usr/lib/postfix" "$sink" $user_opt "$@" \
			-d "$dump/%M." "[$addr]:$port" 100 >"$work/$name.sink.log" 2>&1 &
		sink_pid=$!
		wait_port "$port" && return 0
		kill "$sink_pid" 2>/dev/null
		wait "$sink_pid" 2>/dev/null
		sink_pid=
	done
	echo "FAIL $name: smtp-sink did not start: $(cat "$work/$name.sink.log")"
	exit 1
}

stop_sink() {
	if [ -n "$sink_pid" ]; then
		kill "$sink_pid" 2>/dev/null
		wait "$sink_pid" 2>/dev/null
		sink_pid=
	fi
}

fail() {
	echo "FAIL $case_name: $*"
	failures=$((failures + 1))
}

# run NAME [SMTP-SEND OPTIONS]: send to the current sink; output in $out
run() {
	case_name=$1
	shift
	out="$work/$case_name.out"
	"$send" --transcript "$work/$case_name.transcript" "$@" 127.0.0.1 "$port" >"$out" 2>&1
	rc=$?
}

expect_rc() {
	[ "$rc" = "$1" ] || fail "exit status $rc, want $1; output:
$(cat "$out")"
}

expect_line() {
	grep -qxF -- "$1" "$out" || fail "no line '$1' in output:
$(cat "$out")"
}

# Whether MAIL and the RCPTs went out in one group: in the transcript the
# line after ">>> MAIL" is a client line (pipelined) or the MAIL reply.
expect_pipelined() {
	next=$(grep -A1 '^>>> MAIL' "$work/$case_name.transcript" | sed -n 2p)
	case "$1:$next" in
	yes:'>>> RCPT'*) ;;
	no:'250 '*) ;;
	*) fail "pipelined=$1, but after MAIL came '$next'" ;;
	esac
}

dsn_args="--ret HDRS --envid env+2Bid --notify SUCCESS,FAILURE --orcpt rfc822;rcpt1@test.example"
dsn_rcpt="NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;rcpt1@test.example"

# --- every message file, with all ESMTP parameters smtp-sink announces ----
for m in "$messages"/*.eml; do
	name=$(basename "$m" .eml)
	start_sink "message-$name"
	run "message-$name" --message "$m" --body 8BITMIME $dsn_args \
		--to rcpt1@test.example --to rcpt2@test.example --check-sink "$dump" \
		--expect-mail "<sender@client.test> BODY=8BITMIME ENVID=env+2Bid RET=HDRS" \
		--expect-rcpt "<rcpt1@test.example> $dsn_rcpt" \
		--expect-rcpt "<rcpt2@test.example> $dsn_rcpt"
	expect_rc 0
	expect_line "data=250"
	expect_line "sink-files=1"
	expect_pipelined yes
done

# --- a large message, several messages per connection, several connections
"$py" - "$work/large.eml" <<'EOF'
import random, sys
rnd = random.Random(5321)
lines = ["Subject: large", ""]
size = 0
while size < 3 * 1024 * 1024:
    n = rnd.randrange(0, 200)
    line = "".join(rnd.choice("abc .\t\x80\xe9") for _ in range(n))
    lines.append(line)
    size += n + 1
open(sys.argv[1], "w", encoding="latin-1").write("\n".join(lines))
EOF
start_sink large
run large --message "$work/large.eml" --to big@test.example --count 3 --connections 2 \
	--check-sink "$dump" --expect-mail "<sender@client.test>" --expect-rcpt "<big@test.example>"
expect_rc 0
expect_line "sink-files=6"

# --- over SMTP_PIPELINE_MAX recipients: several pipelined groups ------------
start_sink many-rcpts
set --
i=0
while [ $i -lt 250 ]; do
	set -- "$@" --to "r$i@test.example" --expect-rcpt "<r$i@test.example>"
	i=$((i + 1))
done
run many-rcpts --message "$messages/dots.eml" "$@" --check-sink "$dump" \
	--expect-mail "<sender@client.test>"
expect_rc 0
expect_line "rcpt249=250 2.1.5 2.1.5 Ok"
expect_line "sink-files=1"
set --

# --- no PIPELINING (-p): one command at a time -----------------------------
start_sink no-pipelining -p
run no-pipelining --message "$messages/dots.eml" --to a@test.example --to b@test.example \
	--count 2 --check-sink "$dump" --expect-mail "<sender@client.test>" \
	--expect-rcpt "<a@test.example>" --expect-rcpt "<b@test.example>"
expect_rc 0
expect_line "sink-files=2"
expect_pipelined no

# --- no 8BITMIME (-8), no DSN (-N): their parameters are left out -----------
start_sink no-8bitmime-dsn -8 -N
run no-8bitmime-dsn --message "$messages/8bit.eml" --body 8BITMIME $dsn_args \
	--to rcpt1@test.example --check-sink "$dump" --expect-mail "<sender@client.test>" \
	--expect-rcpt "<rcpt1@test.example>"
expect_rc 0
expect_line "ext= PIPELINING AUTH ENHANCEDSTATUSCODES"

# --- no ESMTP (-e): EHLO refused, HELO instead, plain MAIL and RCPT ---------
start_sink no-esmtp -e
run no-esmtp --message "$messages/dots.eml" --body 8BITMIME $dsn_args --size \
	--to rcpt1@test.example --check-sink "$dump" --expect-proto SMTP \
	--expect-mail "<sender@client.test>" --expect-rcpt "<rcpt1@test.example>"
expect_rc 0
expect_line "esmtp=0"
grep -q '^>>> HELO client.test$' "$work/$case_name.transcript" || fail "no HELO sent"

# --- refusals: every RCPT (4xx), MAIL (5xx), the final dot (5xx) ------------
start_sink rcpt-refused -r RCPT
run rcpt-refused --message "$messages/dots.eml" --to a@test.example --to b@test.example
expect_rc 2
expect_line "rcpt0=450 4.3.0 4.3.0 Error: command failed"
expect_line "rcpt1=450 4.3.0 4.3.0 Error: command failed"
expect_line "rset=250"
grep -q '^>>> DATA' "$work/$case_name.transcript" && fail "DATA sent without recipients"

start_sink mail-refused -f MAIL
run mail-refused --message "$messages/dots.eml" --to a@test.example
expect_rc 2
expect_line "mail=500"
expect_line "rcpt0=0  "
grep -q '^>>> RCPT' "$work/$case_name.transcript" && fail "RCPT sent after MAIL was refused"

start_sink dot-refused -f .
run dot-refused --message "$messages/dots.eml" --to a@test.example
expect_rc 2
expect_line "data=500"

# --- a body that cannot be read: the connection is dropped before "." ------
start_sink body-error
run body-error --message "$work/large.eml" --to a@test.example --fail-body-at 1000000
expect_rc 1
expect_line "error=data: Input/output error"
# smtp-sink deletes the dump of a transaction cut short once it sees the
# connection close; a message ended with "." would stay
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -z "$(ls "$dump")" ] && break
	sleep 0.3
done
[ -z "$(ls "$dump")" ] || fail "a truncated message was delivered: $(ls "$dump")"
stop_sink

# --- address literals and errors --------------------------------------------
# literal HOST: send to HOST (an address literal) at the current sink
literal() {
	case_name="literal $1"
	"$send" --to a@test.example --message "$messages/dots.eml" --check-sink "$dump" \
		--expect-mail "<sender@client.test>" --expect-rcpt "<a@test.example>" \
		"$1" "$port" >"$work/literal.out" 2>&1 || fail "$(cat "$work/literal.out")"
}
start_sink literal-v4
literal "[127.0.0.1]"
if "$py" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	addr=::1
	start_sink literal-v6
	literal "[IPv6:::1]"
	addr=127.0.0.1
else
	echo "no IPv6 loopback: [IPv6:::1] not tested"
fi
stop_sink
case_name=refused
"$send" --to a@test.example --message "$messages/dots.eml" 127.0.0.1 "$port" \
	>"$work/refused.out" 2>&1
grep -qxF "error=connect: Connection refused" "$work/refused.out" ||
	fail "connecting to a closed port: $(cat "$work/refused.out")"

if [ "$failures" -gt 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "all smtp-sink cases passed"
