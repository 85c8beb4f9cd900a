#!/bin/bash
# privileges.sh SENDMAIL MAKEMAP SINK_CACHE
#
# The privilege rules of the setgid sendmail command, run as the
# unprivileged user nobody against a copy installed setgid smmsp (as a
# package installs it), in the golden sandbox, with Postfix's smtp-sink as
# the MTA.  Where sdmail deliberately differs from sendmail 8.17 (it does
# not take a message it reports as refused, and a caller who cannot use the
# client queue gets the message sent straight to the MTA or exit 75), the
# expected behaviour is written here rather than captured from the oracle.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/common.sh"
start_test "$@"
install_setgid "$sendmail"

in_sandbox env SM="$inst/sendmail" SINK_ROOT="$cache/root" bash -c '
. "$COMMON"
sandbox_setup privs
cp /etc/mail/submit.cf "$W/my.cf" && chmod 644 "$W/my.cf"
queued() { ls "$CQ" | grep -c "^qf"; }
msg() { printf "Subject: %s\n\nbody\n" "$1"; }
check() { # check NAME WANT_RC WANT_OUTPUT_REGEX RC OUTPUT
	if [ "$4" != "$2" ]; then fail "$1: exit $4, want $2; output: $5"
	elif ! grep -Eq -- "$3" <<<"$5"; then fail "$1: output \"$5\" lacks /$3/"
	else ok "$1"; fi
}
warning="^WARNING: RunAsUser for MSP ignored, check group ids \\(egid=65534, want=102\\)"

# the setgid group is there, and the process cannot be dumped or traced
sleep 1 | setpriv --reuid=65534 --regid=65534 --clear-groups -- "$SM" -bt >/dev/null & pid=$!
sleep 0.3
egid=$(awk "/^Gid:/ {print \$3}" /proc/$pid/status)
owner=$(stat -c %U /proc/$pid/environ)
wait $pid
[ "$egid" = 102 ] && ok "runs with egid smmsp" || fail "egid $egid, want 102"
[ "$owner" = root ] && ok "not dumpable" || fail "/proc/PID owned by $owner: dumpable"

# a normal submission while the MTA is down: queued as smmsp, exit 0
out=$(msg down | as_nobody "$SM" -odi root 2>&1); rc=$?
check "queued while the MTA is down" 0 "^$" $rc "$out"
f=$(ls "$CQ" | grep "^qf" | head -1)
mode=$(stat -c "%a %G" "$CQ/$f")
[ "$mode" = "660 smmsp" ] && ok "qf is 0660 group smmsp" || fail "qf mode/group: $mode"
rm -f "$CQ"/*

# -C: the group goes, with sendmail'"'"'s warning; the client queue cannot
# be used, so the message goes straight to the MTA...
sink
out=$(msg direct | as_nobody "$SM" -C "$W/my.cf" -odi root 2>&1); rc=$?
check "-C: warning, sent directly" 0 "$warning" $rc "$out"
got=$(received)
grep -q "^Subject: direct" <<<"$got" && ok "-C: the MTA got it" || fail "-C: not received: $got"
[ "$(queued)" = 0 ] && ok "-C: nothing queued" || fail "-C: queued"
nosink
# ...or, with the MTA down, exit 75 and one line saying so
out=$(msg lost | as_nobody "$SM" -C "$W/my.cf" -odi root 2>&1); rc=$?
check "-C, MTA down: EX_TEMPFAIL" 75 "^sendmail: message not sent: .*cannot be queued" $rc "$out"
[ "$(grep -vc "^WARNING" <<<"$out")" = 1 ] && ok "-C, MTA down: one line" || fail "-C, MTA down: $out"
[ "$(queued)" = 0 ] && ok "-C, MTA down: nothing queued" || fail "-C, MTA down: queued"

# no new privileges (systemd NoNewPrivileges=, setpriv): setgid has no effect
sink
out=$(msg nnp | setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs -- "$SM" -odi root 2>&1); rc=$?
check "no_new_privs: sent directly" 0 "$warning" $rc "$out"
grep -q "^Subject: nnp" <<<"$(received)" && ok "no_new_privs: the MTA got it" || fail "no_new_privs: not received"
nosink
out=$(msg nnp2 | setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs -- "$SM" -odi root 2>&1); rc=$?
check "no_new_privs, MTA down: EX_TEMPFAIL" 75 "cannot be queued" $rc "$out"

# an option off the safe list drops the group too (sendmail queues in a
# directory the user can write, as here)
mkdir -m 777 "$W/myq"
out=$(msg unsafe | as_nobody "$SM" -OQueueDirectory="$W/myq" -odq root 2>&1); rc=$?
check "unsafe option: warning, queued in the user'"'"'s directory" 0 "$warning" $rc "$out"
n=$(ls "$W/myq" | grep -c "^qf")
[ "$n" = 1 ] && ok "unsafe option: one qf there" || fail "unsafe option: $n qf files"
[ "$(stat -c %G "$W/myq/$(ls "$W/myq" | grep "^qf")")" = nogroup ] && ok "unsafe option: qf not smmsp" || fail "unsafe option: qf group"
# safe options keep it
out=$(msg safe | as_nobody "$SM" -oi -oem -odq -ODeliveryMode=q root 2>&1); rc=$?
check "safe options: no warning" 0 "^$" $rc "$out"
rm -f "$CQ"/*

# refusals take nothing
out=$(msg none | as_nobody "$SM" -odi -t 2>&1); rc=$?
check "-t without recipients: EX_NOUSER" 67 "^No recipient addresses found in header$" $rc "$out"
out=$(msg body | as_nobody "$SM" -odi -B 9BIT root 2>&1); rc=$?
check "illegal body type: EX_USAGE" 64 "^Illegal body type 9BIT$" $rc "$out"
printf "Subject: nul\n\na\0b\n" | as_nobody "$SM" -odi root >"$W/nul.out" 2>&1; rc=$?
check "NUL byte: EX_DATAERR" 65 "NUL byte not allowed" $rc "$(cat "$W/nul.out")"
# EightBitMode=s: 8-bit data without MIME headers (sendmail bounces it)
printf "Subject: strict\n\ncaf\303\251\n" | as_nobody "$SM" -odi -OEightBitMode=s root >"$W/strict.out" 2>&1; rc=$?
check "EightBitMode=s, 8-bit without MIME: EX_DATAERR" 65 "^Eight bit data not allowed$" $rc "$(cat "$W/strict.out")"
[ "$(queued)" = 0 ] && ok "refusals: nothing queued" || fail "refusals: queued"

# (what a privileged run keeps of the environment: tests/unit/test-privs.c)
finish
'
