#!/bin/bash
# run-submit-golden.sh SENDMAIL MAKEMAP SINK_CACHE CASE
#
# One submission case (cases/CASE.sh, see drive.sh) run with sdmail's
# sendmail in the golden sandbox (tests/golden/sandbox.sh: the oracle's
# host name, users and Debian's sendmail.cf/submit.cf), its output
# normalized and compared with what sendmail 8.17.1 printed for the same
# case (expected/CASE.out, made by capture-oracle.sh).  sendmail is
# installed setgid smmsp in a temporary directory first, as a package
# installs it.  Needs root (namespaces); without it, or without smtp-sink,
# the case is skipped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/common.sh"
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
