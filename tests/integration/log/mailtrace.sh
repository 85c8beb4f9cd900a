#!/bin/bash
# mailtrace.sh MAILTRACE SENDMAIL SM-MTA MAKEMAP SINK_CACHE: mailtrace(1)
# on a journal the real programs wrote (mailtrace-run.sh: the setgid
# sendmail command through its client queue to sm-mta, then on to
# Postfix's smtp-sink or to a dead address).  From the MSP's queue ID and
# from the Message-Id, mailtrace must show both hops — the MSP's from= and
# to= (stat=Sent (QID Message accepted for delivery)), then sm-mta's from=
# and to= under the queue ID named there — grouped per hop, and a bounce
# ("QID: DSNQID: DSN:") followed to the DSN's own entries; exit codes
# EX_NOINPUT (66) and EX_USAGE (64).  Needs root; skipped (77) without it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/../submit/common.sh"
mailtrace=$(readlink -f "$1")
mta=$(readlink -f "$3")
start_test "$2" "$4" "$5"
install_setgid "$sendmail"
T=$(mktemp -d /tmp/sdmail-mailtrace.XXXXXX)
trap 'rm -rf "$inst" "$T"' EXIT
"$here/journal.sh" "$T" "$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$makemap" -- \
	timeout 60 bash "$here/mailtrace-run.sh" "$inst/sendmail" "$mta" "$cache/root"
failures=0
check() { # check WHAT OUTPUT REGEX...: every regex matches a line, in order
	local what=$1 out=$2 rest
	shift 2
	rest=$out
	for rx in "$@"; do
		if ! grep -Eq -- "$rx" <<<"$rest"; then
			echo "FAIL: $what: no /$rx/ (in order) in:"
			echo "$out"
			failures=$((failures + 1))
			return
		fi
		rest=$(sed -E "0,\\~$rx~d" <<<"$rest")
	done
	echo "ok: $what"
}
J=$T/journal
msp_qid() { # the MSP's queue ID of the message with Message-Id <$1@...>
	journalctl -D "$J" -o cat SYSLOG_IDENTIFIER=sendmail SDMAIL_EVENT=from |
		sed -n "s/^\\([A-Za-z0-9]*\\): from=.*msgid=<$1@oracle\\.example\\.org>.*/\\1/p" | head -1
}
sent=$(msp_qid trace-sent)
defer=$(msp_qid trace-defer)
echo "MSP queue IDs: $sent $defer"
t='[A-Z][a-z]{2} [0-9]{2} [0-9:]{8}'
q='[A-Za-z0-9]{14}'
out=$("$mailtrace" -D "$J" "$sent") && rc=0 || rc=$?
echo "$out"
check "by queue ID: the MSP hop, then sm-mta's, then smtp-sink took it (rc=$rc)" "$out" \
	"^hop 1: $sent\$" \
	"^  $t sendmail\\[[0-9]+\\]: $sent: from=nobody, size=[0-9]+, class=0, nrcpts=1, msgid=<trace-sent@oracle\\.example\\.org>, relay=nobody@localhost\$" \
	"^  $t sendmail\\[[0-9]+\\]: $sent: to=nobody@\\[127\\.0\\.0\\.2\\], ctladdr=nobody \\(65534/65534\\), delay=[0-9:]+, xdelay=[0-9:]+, mailer=relay, pri=[0-9]+, relay=\\[127\\.0\\.0\\.1\\] \\[127\\.0\\.0\\.1\\], dsn=2\\.0\\.0, stat=Sent \\($q Message accepted for delivery\\)\$" \
	"^hop 2: $q \\(from $sent\\)\$" \
	"^  $t sm-mta\\[[0-9]+\\]: $q: from=<nobody@oracle\\.example\\.org>, size=[0-9]+, class=0, nrcpts=1, msgid=<trace-sent@oracle\\.example\\.org>, proto=ESMTP, daemon=MTA-v4, relay=oracle\\.example\\.org \\[127\\.0\\.0\\.1\\]\$" \
	"^  $t sm-mta\\[[0-9]+\\]: $q: to=<nobody@\\[127\\.0\\.0\\.2\\]>, ctladdr=<nobody@oracle\\.example\\.org> \\([0-9]+/[0-9]+\\), delay=[0-9:]+, xdelay=[0-9:]+, mailer=esmtp, pri=[0-9]+, relay=\\[127\\.0\\.0\\.2\\] \\[127\\.0\\.0\\.2\\], dsn=2\\.0\\.0, stat=Sent \\(.*\\)\$"
[ "$rc" = 0 ] || { echo "FAIL: exit status $rc"; failures=$((failures + 1)); }
mta_qid=$(sed -n 's/^hop 2: \([A-Za-z0-9]*\) .*/\1/p' <<<"$out")
[ "$(grep -c "^  .*: $mta_qid: " <<<"$out")" = 2 ] && [ "$(grep -c '^hop ' <<<"$out")" = 2 ] &&
	echo "ok: exactly two hops, two entries in sm-mta's" ||
	{ echo "FAIL: hop count or sm-mta's entries"; failures=$((failures + 1)); }

out=$("$mailtrace" -D "$J" '<trace-defer@oracle.example.org>') && rc=0 || rc=$?
echo "$out"
check "by Message-Id: the from= lines of both hops, sm-mta's deferral (rc=$rc)" "$out" \
	"^hop 1: $defer\$" \
	"^  $t sendmail\\[[0-9]+\\]: $defer: from=nobody, .*msgid=<trace-defer@oracle\\.example\\.org>" \
	"^  $t sendmail\\[[0-9]+\\]: $defer: to=nobody@\\[127\\.0\\.0\\.3\\], .*stat=Sent \\($q Message accepted for delivery\\)\$" \
	"^hop 2: $q( \\(from $defer\\))?\$" \
	"^  $t sm-mta\\[[0-9]+\\]: $q: from=<nobody@oracle\\.example\\.org>, .*msgid=<trace-defer@oracle\\.example\\.org>" \
	"^  $t sm-mta\\[[0-9]+\\]: $q: to=<nobody@\\[127\\.0\\.0\\.3\\]>, .*relay=\\[127\\.0\\.0\\.3\\] \\[127\\.0\\.0\\.3\\], dsn=4\\.4\\.1, stat=Deferred: Connection refused by \\[127\\.0\\.0\\.3\\]\$"
[ "$rc" = 0 ] || { echo "FAIL: exit status $rc"; failures=$((failures + 1)); }
[ "$(grep -c '^hop ' <<<"$out")" = 2 ] && echo "ok: each hop once" ||
	{ echo "FAIL: each hop once"; failures=$((failures + 1)); }

out=$("$mailtrace" -D "$J" '<trace-bounce@oracle.example.org>') && rc=0 || rc=$?
echo "$out"
check "a refused recipient: sm-mta's failure, its DSN, the DSN as the third hop (rc=$rc)" "$out" \
	"^hop 1: $q\$" \
	"^  $t sendmail\\[[0-9]+\\]: $q: to=nobody@\\[127\\.0\\.0\\.4\\], .*stat=Sent \\($q Message accepted for delivery\\)\$" \
	"^hop 2: $q( \\(from $q\\))?\$" \
	"^  $t sm-mta\\[[0-9]+\\]: $q: to=<nobody@\\[127\\.0\\.0\\.4\\]>, .*relay=\\[127\\.0\\.0\\.4\\] \\[127\\.0\\.0\\.4\\], dsn=5\\.3\\.0, reply=500 5\\.3\\.0 Error: command failed, stat=Service unavailable\$" \
	"^  $t sm-mta\\[[0-9]+\\]: $q: $q: DSN: Service unavailable\$" \
	"^hop 3: $q \\(bounce of $q\\)\$" \
	"^  $t sm-mta\\[[0-9]+\\]: $q: to=.*nobody@oracle\\.example\\.org"
[ "$rc" = 0 ] || { echo "FAIL: exit status $rc"; failures=$((failures + 1)); }
dsn_qid=$(sed -n 's/^hop 3: \([A-Za-z0-9]*\) (bounce of .*/\1/p' <<<"$out")
[ -n "$dsn_qid" ] && [ "$(sed -n 's/.*: \([A-Za-z0-9]*\): DSN: .*/\1/p' <<<"$out")" = "$dsn_qid" ] &&
	echo "ok: hop 3 is the queue ID the DSN line names" ||
	{ echo "FAIL: hop 3 is not the DSN's queue ID"; failures=$((failures + 1)); }

# --since after everything: nothing
out=$("$mailtrace" -D "$J" --since "@$(($(date +%s) + 3600))" "$sent" 2>&1) && rc=0 || rc=$?
[ "$rc" = 66 ] && [ "$out" = "mailtrace: no log entries for $sent" ] &&
	echo "ok: --since later than the entries: EX_NOINPUT" ||
	{ echo "FAIL: --since: rc=$rc: $out"; failures=$((failures + 1)); }
out=$("$mailtrace" -D "$J" --since "$(date +%Y-%m-%d)" "$sent" | grep -c '^hop ') || true
[ "$out" = 2 ] && echo "ok: --since today: both hops" ||
	{ echo "FAIL: --since today: $out hops"; failures=$((failures + 1)); }
"$mailtrace" -D "$J" '<nothing@oracle.example.org>' && rc=0 || rc=$?
[ "$rc" = 66 ] && echo "ok: an unknown Message-Id: EX_NOINPUT" ||
	{ echo "FAIL: unknown Message-Id: rc=$rc"; failures=$((failures + 1)); }
"$mailtrace" -D "$J" && rc=0 || rc=$?
[ "$rc" = 64 ] && echo "ok: no argument: EX_USAGE" ||
	{ echo "FAIL: no argument: rc=$rc"; failures=$((failures + 1)); }
echo "$failures failed"
[ "$failures" = 0 ]
