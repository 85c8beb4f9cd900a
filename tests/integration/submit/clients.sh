#!/bin/bash
# clients.sh SENDMAIL MAKEMAP SINK_CACHE
#
# Real programs that hand mail to /usr/sbin/sendmail, run as the normal
# user nobody against sdmail's sendmail installed setgid smmsp: s-nail
# (mail), git send-email, Python's subprocess the way PHP's mail() and cron
# call it, each checked by what Postfix's smtp-sink (the MTA on
# 127.0.0.1:25) received.  Then the MTA is down: a message waits in the
# client queue and a queue run as the queue's owner delivers it.  Runs in
# the golden sandbox (the oracle's host name and users, Debian's configs).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/common.sh"
start_test "$@"
for tool in s-nail git setpriv; do
	command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
[ -x "$(git --exec-path)/git-send-email" ] || { echo "SKIP: git send-email not installed"; exit 77; }
install_setgid "$sendmail"

in_sandbox env SM="$inst/sendmail" SINK_ROOT="$cache/root" bash -c '
. "$COMMON"
sandbox_setup clients

sink
# s-nail, as mail(1)
out=$(echo "hello from s-nail" | as_nobody s-nail -:/ -S mta="$SM" -s "snail test" root@oracle.example.org 2>&1)
rc=$?
[ $rc = 0 ] || fail "s-nail exit $rc: $out"
expect "s-nail" "$(received)" "^X-Mail-Args: <nobody@oracle.example.org>" \
	"^X-Rcpt-Args: <root@oracle.example.org>" "^Subject: snail test$" \
	"^Received: \(from nobody@localhost\)$" "^From: nobody <nobody@oracle.example.org>$" \
	"^Message-I[Dd]: <" "^hello from s-nail$"

# git send-email with its sendmail command
as_nobody mkdir "$W/home/repo"
as_nobody git -C "$W/home/repo" init -q
echo "a line" | as_nobody tee "$W/home/repo/file" >/dev/null
as_nobody git -C "$W/home/repo" add file
as_nobody git -C "$W/home/repo" -c user.name="No Body" -c user.email=nobody@oracle.example.org \
	commit -q -m "A patch for sdmail"
as_nobody git -C "$W/home/repo" format-patch -q -1 -o "$W/home/repo/out"
out=$(as_nobody git -C "$W/home/repo" -c user.name="No Body" -c user.email=nobody@oracle.example.org \
	send-email --quiet --confirm=never --no-validate --sendmail-cmd="$SM" \
	--to=root@oracle.example.org "$W/home/repo/out"/*.patch 2>&1)
rc=$?
[ $rc = 0 ] || fail "git send-email exit $rc: $out"
expect "git send-email" "$(received)" "^X-Rcpt-Args: <root@oracle.example.org>" \
	"^Subject: \[PATCH\] A patch for sdmail$" "^From: No Body <nobody@oracle.example.org>$" \
	"^X-Mailer: git-send-email"

# PHP mail(): popen("/usr/sbin/sendmail -t -i"), headers with CRLF
as_nobody /usr/bin/python3 - "$SM" <<PY
import subprocess, sys
msg = b"To: root@oracle.example.org\r\nSubject: php test\r\nX-PHP-Originating-Script: 0:x.php\r\n\r\n.single dot line\r\n.\r\nend\r\n"
p = subprocess.run([sys.argv[1], "-t", "-i"], input=msg)
sys.exit(p.returncode)
PY
rc=$?
[ $rc = 0 ] || fail "php-style exit $rc"
got=$(received)
expect "php-style -t -i" "$got" "^X-Rcpt-Args: <root@oracle.example.org>" "^Subject: php test$" \
	"^X-PHP-Originating-Script: 0:x.php$" "^\.single dot line$" "^\.$" "^end$"

# cron: sendmail -FCronDaemon -i -B8BITMIME -oem root, an 8-bit body
printf "Subject: Cron <nobody@oracle> ls\nContent-Type: text/plain; charset=UTF-8\n\nf\xc3\xbcr\n" |
	as_nobody "$SM" -FCronDaemon -i -B8BITMIME -oem nobody
rc=$?
[ $rc = 0 ] || fail "cron-style exit $rc"
expect "cron-style" "$(received)" "BODY=8BITMIME" "^From: CronDaemon <nobody@oracle.example.org>$" \
	"^X-Rcpt-Args: <nobody@oracle.example.org>"
nosink

# the MTA is down: exit 0, the message waits; the queue owner runs the queue
echo "later" | as_nobody s-nail -:/ -S mta="$SM" -s "queued test" root@oracle.example.org
rc=$?
n=$(ls "$CQ" | grep -c "^qf")
[ $rc = 0 ] && [ "$n" = 1 ] && ok "MTA down: queued" || fail "MTA down: exit $rc, $n queued"
mq=$(as_nobody "$SM" -Ac -bp 2>&1)
expect "mailq shows it" "$mq" "Deferred: Connection refused by \[127\.0\.0\.1\]" "root@oracle.example.org"
sink
setpriv --reuid=smmsp --regid=smmsp --clear-groups -- "$SM" -Ac -q
expect "queue run delivers it" "$(received)" "^Subject: queued test$"
n=$(ls "$CQ" | grep -c "^qf")
[ "$n" = 0 ] && ok "queue empty after the run" || fail "$n entries left"
nosink

# the MSP queue runner as a service starts it: sendmail -L sm-msp-queue -Ac -q1s
echo "periodic" | as_nobody s-nail -:/ -S mta="$SM" -s "periodic test" root@oracle.example.org
as_smmsp() { setpriv --reuid=smmsp --regid=smmsp --clear-groups -- "$@"; }
as_smmsp "$SM" -L sm-msp-queue -Ac -q1s
rc=$?
sleep 0.3
runner=$(pgrep -f -- "^$SM -L sm-msp-queue -Ac -q1s")
[ $rc = 0 ] && [ -n "$runner" ] && ok "-q1s detaches" || fail "-q1s: exit $rc, runner \"$runner\""
sink
sleep 2.5
expect "the periodic runner delivers it" "$(received)" "^Subject: periodic test$"
kill $runner 2>/dev/null
pkill -f -- "^$SM -L sm-msp-queue" 2>/dev/null # whatever a failure left behind
nosink
# under systemd (INVOCATION_ID set) it stays in the foreground
as_smmsp env INVOCATION_ID=0123 timeout 2 "$SM" -L sm-msp-queue -Ac -q1s
rc=$?
[ $rc = 124 ] && ok "under systemd: foreground" || fail "under systemd: exit $rc"
# only root and the TrustedUser may run the queue periodically
out=$(as_nobody "$SM" -Ac -q1s 2>&1)
rc=$?
[ $rc = 64 ] && [ "$out" = "Permission denied (real uid not trusted)" ] && ok "-q1s: nobody refused" ||
	fail "-q1s as nobody: exit $rc: $out"

finish
'
