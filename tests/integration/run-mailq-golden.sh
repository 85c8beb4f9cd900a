#!/bin/bash
# run-mailq-golden.sh MAILQ-TOOL CASES-FILE EXPECTED-DIR NAME
#
# Builds the queue directory of golden case NAME with mailq-tool, lists it
# plain and with -v, and compares with what sendmail 8.17.1's mailq printed
# for the same files (EXPECTED-DIR/NAME.out, NAME-v.out; made by
# capture-mailq.sh).  The directory name sendmail saw was
# /var/spool/mqueue-client; times are printed in UTC.
set -euo pipefail
tool=$1 cases=$2 expected=$3 name=$4
line=$(grep -E "^$name " "$cases") || { echo "no case $name"; exit 1; }
read -r _ build opts <<<"$line"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qdir=$tmp/mqueue-client
TZ=UTC "$tool" build "$qdir" "$build"
status=0
for v in "" -v; do
	# shellcheck disable=SC2086 # options are words
	TZ=UTC "$tool" list "$qdir" $v $opts | sed "s|$qdir|/var/spool/mqueue-client|g" \
		>"$tmp/got"
	want=$expected/$name${v:+-v}.out
	if ! cmp -s "$want" "$tmp/got"; then
		echo "mailq${v:+ -v} differs for case $name:"
		diff -u "$want" "$tmp/got" | cat -A | head -60
		status=1
	fi
done
exit $status
