#!/bin/bash
# units.sh BUILD_DIR UNIT...
#
# The units as systemd reads them, without booting anything: each unit is
# copied into a scratch directory with the binaries it names pointed at
# stand-ins that exist (sm-mta is not built on every branch), then
#   systemd-analyze verify   no errors or warnings (syntax, dependencies,
#                            Sockets/Service references)
#   systemd-analyze security --offline=yes   exposure at most 1.0 for
#                            sm-client.service (it only talks to
#                            [127.0.0.1]) and 3.0 for sendmail.service (the
#                            issue's target; it talks to the world)
# Skips (77) without systemd-analyze.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze not installed"; exit 77; }
shift
W=$(mktemp -d /tmp/sdmail-units.XXXXXX)
trap 'rm -rf "$W"' EXIT
for u in "$@"; do
	sed -E 's|^(Exec[A-Za-z]*=[-@!+]*)[^ ]*/(sendmail\|sm-mta\|sdmail-rebuild-config)( \|$)|\1/bin/true\3|' "$u" \
		>"$W/${u##*/}"
done
cd "$W" || exit 1
names=$(ls)

step "systemd-analyze verify"
out=$(systemd-analyze verify --man=no $names 2>&1; echo "rc=$?")
expect "verify: no findings" "$out" '^rc=0$'
[ "$(grep -vc '^rc=' <<<"$out")" = 0 ] || { fail "verify printed findings"; echo "$out"; }

step "systemd-analyze security --offline=yes"
for spec in sm-client.service:10 sendmail.service:30; do
	unit=${spec%:*} max=${spec#*:}
	[ -e "$unit" ] || continue
	out=$(systemd-analyze security --offline=yes --threshold="$max" "./$unit" 2>&1; echo "rc=$?")
	expect "$unit: exposure at most $((max / 10)).$((max % 10))" "$out" '^rc=0$'
	grep 'Overall exposure' <<<"$out"
done
finish
