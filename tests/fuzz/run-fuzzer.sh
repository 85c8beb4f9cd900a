#!/bin/sh
# run-fuzzer.sh FUZZER SECONDS SEED_CORPUS
# Runs a libFuzzer target for a bounded time.  New inputs go to a scratch
# corpus (libFuzzer writes into its first corpus directory), crash
# reproducers next to it; the source tree's seed corpus is only read.
set -e
fuzzer=$1 seconds=$2 seed=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/sdmail-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
set +e
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 -print_final_stats=1 \
	-artifact_prefix="$work/" "$work/corpus" "$seed"
rc=$?
for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
	[ -e "$a" ] || continue
	echo "reproducer $(basename "$a") (base64): $(base64 -w0 "$a")"
done
exit $rc
