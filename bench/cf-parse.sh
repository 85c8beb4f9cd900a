#!/bin/bash
# Benchmark: load Debian's sendmail.cf (sendmail -bt < /dev/null) and answer
# 1,000 /parse lines, sdmail against sendmail 8.17.1, in one run on one
# machine.  Both run in the same surroundings (private namespaces, hostname
# oracle.example.org, DNS failing at once): sendmail inside the oracle's root,
# sdmail inside tests/golden/sandbox.sh with Debian's /etc/mail.
# Writes bench/results/cf-parse.txt.  Needs root and ../shared/tools.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${BUILD:-$top/build}
oracle=${ORACLE:-$top/../shared/tools/sendmail-oracle}
runs=${RUNS:-30}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$here/gen-parse-lines.py" 1000 > "$tmp/parse.in"
: > "$tmp/empty.in"
cp "$here/timeloop.sh" "$tmp/"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# sendmail 8.17.1, inside the oracle root
"$oracle" run --file "$tmp/timeloop.sh:/tmp/timeloop.sh" --file "$tmp/empty.in:/tmp/empty.in" \
	--pre 'true' -- -d0 -bt </dev/null >/dev/null 2>&1 || true
"$oracle" shell --file "$tmp/timeloop.sh:/tmp/timeloop.sh" --file "$tmp/empty.in:/tmp/empty.in" \
	--file "$tmp/parse.in:/tmp/parse.in" sh -c \
	"/tmp/timeloop.sh $runs /tmp/empty.in -- /usr/sbin/sendmail -bt > /tmp/load.txt;
	 /tmp/timeloop.sh $(( runs / 3 + 1 )) /tmp/parse.in -- /usr/sbin/sendmail -bt > /tmp/parse.txt;
	 echo LOAD; cat /tmp/load.txt; echo PARSE; cat /tmp/parse.txt" > "$tmp/sendmail.raw"

# sdmail, in the sandbox with the same /etc/mail
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$build/tools/makemap" -- sh -c \
	"$tmp/timeloop.sh $runs $tmp/empty.in -- $build/submit/sendmail -bt > $tmp/sd-load.txt;
	 $tmp/timeloop.sh $(( runs / 3 + 1 )) $tmp/parse.in -- $build/submit/sendmail -bt > $tmp/sd-parse.txt"

sed -n '/^LOAD$/,/^PARSE$/p' "$tmp/sendmail.raw" | grep -E '^[0-9]+$' > "$tmp/sm-load.txt"
sed -n '/^PARSE$/,$p' "$tmp/sendmail.raw" | grep -E '^[0-9]+$' > "$tmp/sm-parse.txt"

sm_load=$(median < "$tmp/sm-load.txt"); sd_load=$(median < "$tmp/sd-load.txt")
sm_parse=$(median < "$tmp/sm-parse.txt"); sd_parse=$(median < "$tmp/sd-parse.txt")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

{
	echo "# cf-parse benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
	echo "# median wall time in microseconds; ratio = sdmail / sendmail (< 1 is faster)"
	echo "# load: sendmail -bt < /dev/null with Debian's sendmail.cf ($runs runs each)"
	echo "# parse: one sendmail -bt answering 1000 /parse lines ($(( runs / 3 + 1 )) runs each)"
	printf "load   sendmail-8.17.1 %8d us  sdmail %8d us  ratio %s\n" "$sm_load" "$sd_load" "$(ratio "$sd_load" "$sm_load")"
	printf "parse  sendmail-8.17.1 %8d us  sdmail %8d us  ratio %s\n" "$sm_parse" "$sd_parse" "$(ratio "$sd_parse" "$sm_parse")"
} | tee "$here/results/cf-parse.txt"
