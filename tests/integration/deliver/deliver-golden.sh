#!/bin/bash
# deliver-golden.sh run SENDMAIL MAKEMAP MAIL_LOCAL SMRSH CF CASE [MAILSTATS]
# deliver-golden.sh capture CF CASE
# deliver-golden.sh check SENDMAIL MAKEMAP MAIL_LOCAL SMRSH CF SM_MTA MAILSTATS
#
# CASE (scenario.sh, for now the only one: "basic") delivers messages
# through the queue to local users (mail.local -l, LMTP), an
# alias's program (through smrsh), an alias's file and a .forward's file.
# `capture` runs it in sendmail 8.17.1's root (../shared/tools/sendmail-oracle)
# with the same sendmail.cf (sdmail's default, CF) and records what the
# queue run printed, what was delivered (expected/CASE.out) and the log
# lines (expected/CASE.log), and the queue runs' -v output
# (expected/CASE.transcript); `run` does the same with sdmail in a private
# sandbox — real users and /var/mail, a standalone journald, the queue run
# as smmta holding only CAP_SETUID and CAP_SETGID, as sendmail.service
# runs sm-mta — and compares both, normalized (normalize.py).  Needs root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
log=$top/tests/integration/log
mode=$1
shift
if [ "$mode" = capture ]; then
	cf=$(readlink -f "$1") name=$2
	oracle=${SENDMAIL_ORACLE:-$top/../shared/tools/sendmail-oracle}
	"$oracle" shell --file "$here/scenario.sh:/opt/scenario.sh" --file "$cf:/opt/sdmail.cf" \
		--file "$here/cases/$name.sh:/opt/case.sh" --file "$here/../smtpd/chat.pl:/opt/chat.pl" \
		--file "$log/syslog-listen.pl:/opt/listen.pl" --file /usr/bin/procmail:/opt/procmail \
		bash -c 'mkdir -p /tmp/lx; cp /usr/libexec/sendmail/mail.local /usr/libexec/sendmail/smrsh /tmp/lx/
			perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
			while [ ! -S /dev/log ]; do sleep 0.1; done
			SIDE=oracle SM=/usr/sbin/sendmail MAKEMAP=makemap LX=/tmp/lx MTA= MAILSTATS=/usr/libexec/sendmail/mailstats \
				QUEUE_OWNER=root:smmsp bash /opt/scenario.sh > /tmp/out.txt 2>&1
			sleep 0.5; kill $L; cat /tmp/out.txt; echo "=== log"; cat /tmp/syslog.txt' |
		python3 "$here/normalize.py" >"$here/expected/$name.all"
	# one pass each over the file: a reader that stops early would kill
	# its writer with SIGPIPE (pipefail)
	awk '/^--- left in the queue$/ { exit } { print }' "$here/expected/$name.all" \
		>"$here/expected/$name.transcript"
	awk '/^=== log$/ { exit } /^--- left in the queue$/ { out = 1 } out { print }' \
		"$here/expected/$name.all" >"$here/expected/$name.out"
	awk 'on { print } /^=== log$/ { on = 1 }' "$here/expected/$name.all" |
		{ grep -E '\]: (QID[0-9]+: to=|QID[0-9]+: .*DSN|QID[0-9]+: QID[0-9]+: (postmaster notify|return to sender))' || true; } | sort >"$here/expected/$name.log"
	rm "$here/expected/$name.all"
	echo "captured $name"
	exit 0
fi
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
sendmail=$(readlink -f "$1") makemap=$(readlink -f "$2") mail_local=$(readlink -f "$3")
smrsh=$(readlink -f "$4") cf=$(readlink -f "$5") name=$6 sm_mta= mailstats=
# `run`: mailstats ($7) for the cases that print the statistics file
[ "$mode" = run ] && [ -n "${7:-}" ] && mailstats=$(readlink -f "$7")
# `check`: cases/daemon.sh with sm-mta ($6), checked here (no oracle)
[ "$mode" = check ] && { sm_mta=$(readlink -f "$6"); mailstats=$(readlink -f "$7"); name=daemon; }
T=$(mktemp -d /tmp/sdmail-deliver.XXXXXX)
chmod 755 "$T"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
cat >"$T/inside.sh" <<'INSIDE'
set -e
# everything the case uses, copied before /tmp (where the build or this
# work directory may be) is replaced; /opt/bin is reachable for smmta
mkdir -p /opt /var/mail /home
mount -t tmpfs -o mode=755 tmpfs /opt
mkdir -m 755 /opt/bin
cp "$SENDMAIL" "$MAKEMAP_BIN" "$MAIL_LOCAL" "$SMRSH" ${SM_MTA:+"$SM_MTA"} ${MAILSTATS:+"$MAILSTATS"} /opt/bin/
chmod 755 /opt/bin/*
cp "$CF" /opt/sdmail.cf
cp "$HERE/scenario.sh" /opt/scenario.sh
cp "$HERE/cases/$NAME.sh" /opt/case.sh
cp "$HERE/../smtpd/chat.pl" /opt/chat.pl
mount --bind "$HERE/etc/passwd" /etc/passwd
mount --bind "$HERE/etc/group" /etc/group
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=3777 tmpfs /var/mail
chgrp mail /var/mail
mount -t tmpfs -o mode=755 tmpfs /home
# homes of mode 0700, as Debian 12 makes them: the .forward is read as its user
for u in alice bob carol; do mkdir -m 700 /home/$u; chown $u:$u /home/$u; done
# mail.local and smrsh where the oracle's are (the cf names /tmp/lx)
mkdir -m 755 /tmp/lx
cp /opt/bin/mail.local /opt/bin/smrsh /tmp/lx/
chown smmta:smmta /var/spool/mqueue
chmod 700 /var/spool/mqueue
set +e
SIDE=sdmail SM=/opt/bin/sendmail SM_MTA=${SM_MTA:+/opt/bin/sm-mta} MAKEMAP=/opt/bin/makemap \
	MAILSTATS=${MAILSTATS:+/opt/bin/mailstats} \
	LX=/tmp/lx QUEUE_OWNER=smmta:smmta \
	MTA="setpriv --reuid=smmta --regid=smmta --clear-groups --inh-caps=-all,+setuid,+setgid --ambient-caps=-all,+setuid,+setgid --" \
	bash /opt/scenario.sh
INSIDE
HERE=$here NAME=$name SENDMAIL=$sendmail SM_MTA=$sm_mta MAILSTATS=$mailstats MAKEMAP_BIN=$makemap MAIL_LOCAL=$mail_local SMRSH=$smrsh CF=$cf \
	"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	"$log/journal.sh" "$T" unshare --mount --propagation private -- bash -c "$(cat "$T/inside.sh")" >"$T/raw" 2>&1 || true
# normalized together, as `capture` does: queue IDs are numbered in the
# order they appear in the output, then in the log
journalctl -D "$T/journal" -o json SYSLOG_FACILITY=2 | python3 "$log/journal-to-log.py" >"$T/rawlog"
{ cat "$T/raw"; echo "=== log"; cat "$T/rawlog"; } | python3 "$here/normalize.py" >"$T/both"
sed -n '/^=== log$/q;p' "$T/both" >"$T/got.all"
sed -n '/^--- left in the queue$/q;p' "$T/got.all" >"$T/got.transcript"
sed -n '/^--- left in the queue$/,$p' "$T/got.all" >"$T/got.out"
sed -n '/^=== log$/,$p' "$T/both" | sed 1d |
	grep -E '\]: (QID[0-9]+: to=|QID[0-9]+: .*DSN|QID[0-9]+: QID[0-9]+: (postmaster notify|return to sender))' | sort >"$T/got.log" || true
if [ "$mode" = check ]; then
	check() { # check WHAT FILE REGEX
		if grep -Eq "$3" "$T/$2"; then echo "ok: $1"; else echo "FAIL: $1"; rc=1; fi
	}
	rc=0
	check "alice's mailbox, written by mail.local as alice" got.out '^alice alice 600$'
	check "the message in mbox form" got.all '^From carol@oracle.example.org CTIME\$$'
	check "Return-Path" got.all '^Return-Path: <carol@oracle.example.org>\$$'
	check "the alias's program ran (as DefaultUser)" got.out '^daemon daemon 644$'
	check "to= line of the local delivery" got.log 'to=<alice@oracle.example.org>, ctladdr=<carol@oracle.example.org> \(1003/1003\), .*mailer=local, .*relay=local, dsn=2\.1\.5, stat=Sent$'
	check "to= line of the program" got.log 'to="\|savemsg", ctladdr=<progalias@oracle.example.org> \(1/0\), .*mailer=prog, .*dsn=2\.0\.0, stat=Sent$'
	check "root's .forward program ran as DefaultUser (daemon), not root" got.all \
		"^--- root's .forward program ran as uid 1\$"
	check "statistics: the daemon counted the connection it took" got.all \
		'^ C        1        0      0$'
	check "statistics: the message taken in from a local sender, delivered to alice by LMTP" \
		got.all '^ 3        1          1        1          1        0       0       0  local$'
	check "statistics: the alias's and root's .forward programs, one run each" got.all \
		'^ 0        0          0        2          2        0       0       0  prog$'
	check "a locked mailbox: deferred" got.log 'to=<carol@oracle.example.org>, ctladdr=<alice@oracle.example.org> \(1001/1001\), .*mailer=local, .*relay=local, dsn=4\.3\.0, .*stat=Deferred: 451 4\.3\.0 lockmailbox carol failed'
	check "... and still queued" got.all '^--- queued: 1$'
	check "... then delivered by the next run" got.log 'to=<carol@oracle.example.org>, .*mailer=local, .*dsn=2\.1\.5, stat=Sent$'
	check "... into carol's mailbox" got.all '^Subject: locked out\$$'
	check "nothing left in the queue" got.all '^--- queued: 0$'
	if grep -q '^ID' "$T/got.out"; then
		echo "FAIL: entries left in the queue"; rc=1
	fi
	[ $rc = 0 ] || cat "$T/got.all" "$T/got.log"
	exit $rc
fi
rc=0
# expected/CASE.out.sed: what sdmail does differently, on purpose (its comments say why)
want_out=$here/expected/$name.out
if [ -f "$here/expected/$name.out.sed" ]; then
	sed -f "$here/expected/$name.out.sed" "$want_out" >"$T/want.out"
	want_out=$T/want.out
fi
diff -u --label "sendmail-8.17.1 $name.out" --label sdmail "$want_out" "$T/got.out" || rc=1
diff -u --label "sendmail-8.17.1 $name.log" --label sdmail "$here/expected/$name.log" "$T/got.log" || rc=1
# the queue runs' -v output, less the repetitions of lines that
# expected/CASE.sdmail-only matches (what sdmail prints again in a later
# run and sendmail does not, explained in CASE.differs)
cp "$T/got.transcript" "$T/got.compared"
if [ -f "$here/expected/$name.sdmail-only" ]; then
	python3 -c 'import re, sys
pats = [re.compile(l.rstrip("\n")) for l in open(sys.argv[1]) if l.strip()]
seen = set()
for line in sys.stdin:
    if any(p.search(line) for p in pats):
        if line in seen:
            continue
        seen.add(line)
    sys.stdout.write(line)' "$here/expected/$name.sdmail-only" <"$T/got.transcript" >"$T/got.compared"
fi
diff -u --label "sendmail-8.17.1 $name.transcript" --label sdmail \
	"$here/expected/$name.transcript" "$T/got.compared" || rc=1
[ $rc = 0 ] || cat "$T/got.all"
[ $rc = 0 ] && echo "ok: $name"
exit $rc
