#!/bin/bash
# What mail.local writes, read and locked by real mail software: Python's
# mailbox module (mboxo reader, ignores Content-Length), s-nail's header
# listing and procmail's formail -s split the mailbox into the messages
# delivered, bodies byte for byte; a dot-lock held by procmail's
# lockfile(1), a POSIX lock (mutt, s-nail) and a flock (alpine) held by a
# reader each keep several waiting mail.local processes from writing until
# released, after which every one delivers; parallel deliveries of large
# messages to the same mailboxes never interleave.  Runs as root in a
# private mount namespace (tmpfs /var/mail, the test's passwd).
#   mbox-interop.sh MAIL_LOCAL
set -u
if [ -z "${MBOX_INTEROP_INSIDE:-}" ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	for p in s-nail formail lockfile python3 unshare; do
		command -v "$p" >/dev/null || { echo "missing $p (scripts/install-deps)"; exit 1; }
	done
	MBOX_INTEROP_INSIDE=1 HERE=$here MAIL_LOCAL=$(realpath "$1") \
		exec unshare --mount --propagation private -- bash "$here/mbox-interop.sh"
fi
set -e
export TZ=UTC LC_ALL=C HOME=/tmp/home
mount --bind "$HERE/etc/passwd" /etc/passwd
mount --bind "$HERE/etc/group" /etc/group
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /var/mail /tmp/home
mount -t tmpfs -o mode=3777 tmpfs /var/mail
chgrp mail /var/mail
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# msg N: message N (python3 /tmp/msg.py N), with "From " lines and a
# ">From " line in its body; messages from 100 on are about 300 kB
cat > /tmp/msg.py <<'PY'
import sys
def message(n):
    lines = 4000 if n >= 100 else n * 7 % 23
    body = 'From the body of message %d\n>From quoted already\n\nFrom \n' % n
    body += ''.join('message %d line %d .................................................................\n' % (n, i)
                    for i in range(lines))
    body += 'end of message %d\n' % n
    return ('From: sender%d@example.org\nSubject: message %d\nContent-Length: 1\n\n' % (n, n), body)
if __name__ == '__main__':
    sys.stdout.write(''.join(message(int(sys.argv[1]))))
PY
msg() { python3 /tmp/msg.py "$1"; }

# check_box USER COUNT: USER's mailbox holds COUNT messages, each once with
# its body intact, as Python's mailbox module, s-nail and formail read it
check_box() {
	local before=$failures
	python3 - "$@" <<'PY' || fail "python mailbox: $1"
import mailbox, re, sys
sys.path.insert(0, '/tmp')
from msg import message
user, count = sys.argv[1], int(sys.argv[2])
seen = {}
for m in mailbox.mbox('/var/mail/' + user, create=False):
    n = int(re.match(r'message (\d+)$', m['Subject']).group(1))
    # mail.local quotes every "From " line; the mboxo reader does not unquote
    want = re.sub(r'^From ', '>From ', message(n)[1], flags=re.M)
    if m.get_payload() != want:
        got = m.get_payload()
        i = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
        sys.exit('message %d: body differs at %d: %r / %r' % (n, i, got[i-20:i+40], want[i-20:i+40]))
    if m.get_from().split(' ')[0] != 'sender%d@example.org' % n:
        sys.exit('message %d: From_ line %r' % (n, m.get_from()))
    if m.get_all('Content-Length') != [str(len(want))]:
        sys.exit('message %d: Content-Length %r' % (n, m.get_all('Content-Length')))
    seen[n] = seen.get(n, 0) + 1
if len(seen) != count or any(v != 1 for v in seen.values()):
    sys.exit('messages %r, wanted %d' % (seen, count))
PY
	local n
	n=$(s-nail -n -N -H -Sheadline='%s' -f "/var/mail/$1" </dev/null 2>/tmp/snail.err | grep -c ' message [0-9]*$' || true)
	[ "$n" = "$2" ] || fail "s-nail lists $n messages in $1, wanted $2: $(cat /tmp/snail.err)"
	n=$(formail -s formail -zx Subject: < "/var/mail/$1" | grep -c '^message ' || true)
	[ "$n" = "$2" ] || fail "formail -s splits $1 into $n messages, wanted $2"
	[ "$failures" = "$before" ]
}

deliver() { # deliver N USER...
	local n=$1
	shift
	msg "$n" | "$MAIL_LOCAL" -f "sender$n@example.org" "$@"
}

# 1. readers: command line and LMTP deliveries
deliver 1 alice || fail "delivery 1"
deliver 2 alice bob || fail "delivery 2"
{
	printf 'LHLO x\r\nMAIL FROM:<sender3@example.org>\r\nRCPT TO:<alice>\r\nDATA\r\n'
	msg 3 | sed -e 's/^\./../' -e 's/$/\r/'
	printf '.\r\nQUIT\r\n'
} | "$MAIL_LOCAL" -l > /tmp/lmtp.out
grep -q '^250 2.1.5 alice' /tmp/lmtp.out || grep -q '^250 2.1.5 Ok' /tmp/lmtp.out || fail "LMTP: $(cat /tmp/lmtp.out)"
check_box alice 3 && ok "readers split alice's mailbox as written"
check_box bob 1 && ok "readers split bob's mailbox as written"

# hold LOCK-KIND: a reader holding the mailbox's lock of that kind until /tmp/release exists
hold() {
	case $1 in
	dotlock) lockfile -r0 /var/mail/alice.lock && touch /tmp/held
		while [ ! -e /tmp/release ]; do sleep 0.05; done
		rm -f /var/mail/alice.lock ;;
	fcntl | flock) python3 -c '
import fcntl, os, sys, time
fd = os.open("/var/mail/alice", os.O_RDWR)
(fcntl.lockf if sys.argv[1] == "fcntl" else fcntl.flock)(fd, fcntl.LOCK_EX)
open("/tmp/held", "w").close()
while not os.path.exists("/tmp/release"):
    time.sleep(0.05)' "$1" ;;
	esac
}

# 2. a reader holding each kind of lock: 4 mail.local processes wait, then deliver
next=10
total=3
for kind in dotlock fcntl flock; do
	rm -f /tmp/held /tmp/release
	hold "$kind" &
	holder=$!
	while [ ! -e /tmp/held ]; do sleep 0.05; done
	size=$(stat -c %s /var/mail/alice)
	pids=()
	for i in 1 2 3 4; do
		deliver $((next + i)) alice &
		pids+=($!)
	done
	sleep 1.5
	[ "$(stat -c %s /var/mail/alice)" = "$size" ] || fail "$kind lock: mailbox written while locked"
	running=0
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && running=$((running + 1)); done
	[ "$running" = 4 ] || fail "$kind lock: only $running of 4 mail.local still waiting"
	touch /tmp/release
	wait "$holder"
	for p in "${pids[@]}"; do wait "$p" || fail "$kind lock: mail.local exited $?"; done
	next=$((next + 10))
	total=$((total + 4))
	ok "$kind lock held by a reader: 4 deliveries waited, then went through"
done
[ -e /var/mail/alice.lock ] && fail "a lock file stayed behind"
ls -A /var/mail | grep -q '^alice\.lk\|^\.lk\|lk[0-9]' && fail "temporary lock files stayed: $(ls -A /var/mail)"
check_box alice "$total" && ok "alice's mailbox holds all $total messages, none interleaved"

# 3. parallel deliveries of large messages (about 400 kB each) to two mailboxes
pids=()
for i in $(seq 100 107); do
	deliver "$i" alice bob &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "parallel delivery exited $?"; done
check_box alice $((total + 8)) && check_box bob 9 && ok "8 parallel large deliveries to two mailboxes, none interleaved"

[ "$failures" = 0 ] || { echo "$failures failures"; exit 1; }
