# verdicts.sh: how the shell tests report; sourced (by
# integration/submit/common.sh and system/lib.sh), not run.
#   ok TEXT / fail TEXT         one check's result ($failures counts fails)
#   expect NAME TEXT REGEX...   ok when every regex matches a line of TEXT
#   verdict                     "N failed"; true when none did
failures=${failures:-0}
ok() { echo "ok: $*"; }
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
expect() {
	local name=$1 text=$2 missing=
	shift 2
	for rx in "$@"; do grep -Eq -- "$rx" <<<"$text" || missing="$missing /$rx/"; done
	if [ -z "$missing" ]; then ok "$name"; else fail "$name: missing$missing in:"; echo "$text"; fi
}
verdict() {
	echo "$failures failed"
	[ "$failures" = 0 ]
}
