#!/bin/bash
# run-mx-golden.sh SENDMAIL MAKEMAP SINK_CACHE CASE
#
# One MX routing case (cases/CASE.sh, see drive.sh) run with sdmail's
# sendmail in the golden sandbox (../../golden/sandbox.sh: the oracle's
# host name, users, Debian's sendmail.cf, resolv.conf naming 127.0.0.1)
# with a standalone journald (../log/journal.sh), dnsmasq serving
# zone.conf and smtp-sink as the MX hosts.  The normalized transcript must
# be what sendmail 8.17.1 printed for the same case (expected/CASE.out,
# capture-oracle.sh), and the mail-facility journal entries written as
# syslog lines what it logged (expected/CASE.log); cases/CASE.sed evens
# out what is random, cases/CASE.notyet names lines sdmail cannot match yet.  Needs root, dnsmasq
# and smtp-sink; skipped (77) without them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/../submit/common.sh"
name=$4
start_test "$@"
dnsmasq=$(command -v dnsmasq || true)
[ -x "$dnsmasq" ] || dnsmasq=/usr/sbin/dnsmasq
[ -x "$dnsmasq" ] || { echo "SKIP: no dnsmasq (dnsmasq-base)"; exit 77; }
T=$(mktemp -d /tmp/sdmail-mx.XXXXXX)
filter=cat
[ -f "$here/cases/$name.sed" ] && filter="sed -f $here/cases/$name.sed"
trap 'rm -rf "$T"' EXIT

in_sandbox "$top/tests/integration/log/journal.sh" "$T" env SM="$sendmail" \
	SINK_ROOT="$cache/root" SINK_LIBS= DNSMASQ="$dnsmasq" DNS_LIBS= ZONE="$here/zone.conf" \
	MXDIR="$here" MAKEMAP="$makemap" MAILSTATS="${MAILSTATS:-}" \
	bash "$here/drive.sh" "$here/cases/$name.sh" 2>&1 | python3 "$here/../normalize.py" |
	$filter >"$T/out"
journalctl -D "$T/journal" -o json SYSLOG_FACILITY=2 >"$T/all.json"
"$top/tests/integration/log/journal-to-log.py" <"$T/all.json" |
	python3 "$top/tests/integration/log/normalize-log.py" | $filter >"$T/got.log"
# what sdmail's sendmail command does not do the same yet (local delivery
# of the postmaster's copy; the priority an immediately sent DSN logs):
# those lines are left out on both sides
cp "$here/expected/$name.out" "$T/want.out"
cp "$here/expected/$name.log" "$T/want.log"
if [ -f "$here/cases/$name.notyet" ]; then
	for f in out log; do
		grep -Ev -f "$here/cases/$name.notyet" "$here/expected/$name.$f" >"$T/want.$f" || true
	done
	for f in out got.log; do
		grep -Ev -f "$here/cases/$name.notyet" "$T/$f" >"$T/$f.kept" || true
		mv "$T/$f.kept" "$T/$f"
	done
fi
rc=0
if ! diff -u "$T/want.out" "$T/out"; then
	echo "FAIL: $name: the transcript differs from sendmail 8.17.1's (expected/$name.out)"
	rc=1
fi
if ! diff -u "$T/want.log" "$T/got.log"; then
	echo "FAIL: $name: the log differs from sendmail 8.17.1's (expected/$name.log)"
	rc=1
fi
[ $rc = 0 ] && echo "ok: $name"
exit $rc
