#!/bin/bash
# run-mime-golden.sh SENDMAIL MAKEMAP SINK_CACHE CASE
#
# One 8->7 bit conversion case (cases/CASE.sh, see drive.sh) run with
# sdmail's sendmail in the golden sandbox (tests/golden/sandbox.sh: the
# oracle's host name, users and Debian's sendmail.cf), its output
# normalized and compared with what sendmail 8.17.1 sent smtp-sink for the
# same case (expected/CASE.out, made by capture-oracle.sh).  Needs root
# (namespaces); without it, or without smtp-sink, the case is skipped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/../submit/common.sh"
name=$4
start_test "$@"
install_setgid "$sendmail"
out=$(mktemp /tmp/sdmail-out.XXXXXX)
trap 'rm -rf "$inst" "$out"' EXIT

in_sandbox env SM="$inst/sendmail" SINK_ROOT="$cache/root" SINK_LIBS= \
	bash "$here/drive.sh" "$here/cases/$name.sh" 2>&1 | python3 "$here/../normalize.py" >"$out"
if ! diff -u "$here/expected/$name.out" "$out"; then
	echo "FAIL: $name differs from sendmail 8.17.1's (expected/$name.out)"
	exit 1
fi
echo "ok: $name"
