#!/bin/bash
# bounce.sh SENDMAIL MAKEMAP SINK_CACHE
#
# The DSNs the sendmail command makes, parsed with Python's email package
# (check-dsn.py), and where sdmail deliberately differs from sendmail 8.17
# (written expectations): a DSN nobody takes is appended to DeadLetterDrop
# only when that file exists on a safe path, and otherwise stays in the
# client queue instead of being lost.  Runs in the golden sandbox with
# Postfix's smtp-sink refusing recipients (-f RCPT).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/common.sh"
start_test "$@"
install_setgid "$sendmail"

in_sandbox env SM="$inst/sendmail" SINK_ROOT="$cache/root" CHECK="$here/check-dsn.py" bash -c '
. "$COMMON"
sandbox_setup bounce
chmod 755 /var/spool
mkdir -p -m 755 /var/spool/dead
DL=/var/spool/dead/dead.letter
msg() { printf "Subject: %s\nMessage-Id: <m@oracle.example.org>\n\nbody line\nFrom the start\n" "$1"; }
queued() { ls "$CQ" | grep -c "^qf"; }
check() { # check NAME WANT_RC WANT_OUTPUT_REGEX RC OUTPUT
	if [ "$4" != "$2" ]; then fail "$1: exit $4, want $2; output: $5"
	elif ! grep -Eq -- "$3" <<<"$5"; then fail "$1: output \"$5\" lacks /$3/"
	else ok "$1"; fi
}
sink -f RCPT

# refused, the DSN and the notice to the postmaster refused: dead.letter
: >"$DL"
out=$(msg full | "$SM" -odi -ODeadLetterDrop=$DL nobody 2>&1); rc=$?
check "refused: saved in DeadLetterDrop" 69 "^MAILER-DAEMON\\.\\.\\. Saved message in $DL\$" $rc "$out"
[ "$(queued)" = 0 ] && ok "nothing left queued" || fail "$(queued) entries left"
if r=$(python3 "$CHECK" "$DL" failed full); then ok "$r"; else fail "$r"; fi
grep -q "^>From the start" "$DL" && ok "From lines escaped" || fail "From line not escaped"
# the mailbox separator as sendmail 8.17 writes it: one space, ctime(3)
head -1 "$DL" | grep -Eq "^From MAILER-DAEMON [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}\$" &&
	ok "From line" || fail "From line: $(head -1 "$DL")"
grep -q "^Final-Recipient: RFC822; nobody@oracle.example.org" "$DL" &&
	ok "Final-Recipient" || fail "no Final-Recipient"

# RET=HDRS and ENVID
: >"$DL"
out=$(msg hdrs | "$SM" -odi -R hdrs -V envid.42 -ODeadLetterDrop=$DL nobody 2>&1); rc=$?
check "-R hdrs: saved" 69 "Saved message in" $rc "$out"
if r=$(python3 "$CHECK" "$DL" failed hdrs); then ok "$r"; else fail "$r"; fi
grep -q "^Original-Envelope-Id: envid.42" "$DL" && ok "Original-Envelope-Id" ||
	fail "no Original-Envelope-Id"

# NOTIFY=NEVER and -oeq: no DSN at all
: >"$DL"
out=$(msg never | "$SM" -odi -N never -ODeadLetterDrop=$DL nobody 2>&1); rc=$?
check "-N never: no DSN" 69 "^\$" $rc "$out"
out=$(msg quiet | "$SM" -odi -oeq -ODeadLetterDrop=$DL nobody 2>&1); rc=$?
check "-oeq: no DSN" 69 "^\$" $rc "$out"
out=$(msg berknet | "$SM" -odi -oee -ODeadLetterDrop=$DL nobody 2>&1); rc=$?
check "-oee: exit 0" 0 "Saved message in" $rc "$out"
[ "$(grep -c "^Subject: Returned mail" "$DL")" = 1 ] && ok "one DSN saved" ||
	fail "$(grep -c "^Subject: Returned mail" "$DL") DSNs saved, want 1"

# a bounce of a bounce (null sender) goes to the postmaster
: >"$DL"
out=$(msg double | "$SM" -odi -f "<>" -ODeadLetterDrop=$DL nobody 2>&1); rc=$?
check "null sender: saved" 69 "Saved message in" $rc "$out"
grep -q "^Subject: Postmaster notify: see transcript for details" "$DL" &&
	ok "postmaster notify" || fail "no postmaster notify saved"

# no usable DeadLetterDrop (a link, a world-writable directory): kept queued
ln -sf "$DL" /var/spool/dead/link
for d in /var/spool/dead/link "$W/dead.letter" /var/spool/dead/missing; do
	touch "$W/dead.letter"
	clean=$(ls "$CQ" | grep -c "^qf")
	out=$(msg kept | "$SM" -odi -ODeadLetterDrop=$d nobody 2>&1); rc=$?
	check "DeadLetterDrop=$d unusable: exit 69, silent" 69 "^\$" $rc "$out"
	n=$(queued)
	[ "$n" = $((clean + 1)) ] && ok "the DSN stays in the client queue" ||
		fail "$n entries queued, want $((clean + 1))"
done
qf=$(ls "$CQ"/qf* | head -1)
grep -q "^Subject: Returned mail" "$(echo "$qf" | sed "s|/qf|/df|")" 2>/dev/null ||
	grep -q "^H.*Subject: Returned mail" "$qf" && ok "kept entry is the DSN" || fail "kept entry: $(cat "$qf")"
# without the client queue (-C gives the group up): no DSN, the refusals
# are printed
cp /etc/mail/submit.cf "$W/my.cf" && chmod 644 "$W/my.cf"
before=$(queued)
out=$(msg noqueue | as_nobody "$SM" -C "$W/my.cf" -odi nobody 2>&1); rc=$?
check "no client queue: refusal printed" 69 "^nobody\\.\\.\\. 500 5\\.3\\.0 Error: command failed\$" $rc "$out"
[ "$(queued)" = "$before" ] && ok "nothing queued" || fail "queued without a queue"
nosink
finish
'
