#!/bin/bash
# fail2ban.sh LOG_LINES: the lines log-lines writes (lib/log's helpers)
# must be matched by fail2ban's stock filters, as sendmail's are:
# sendmail-auth.conf catches the 3 AUTH failures, sendmail-reject.conf 3 of
# the 4 rejects (normal mode; a bare "Relaying denied" is not one fail2ban
# bans, for sendmail's lines either) and, in aggressive mode, also the "did
# not issue" line.  Skipped (77) without fail2ban-regex.
set -euo pipefail
command -v fail2ban-regex >/dev/null || { echo "SKIP: no fail2ban-regex"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$1" >"$T/lines"
cat "$T/lines"
failures=0
# fail2ban-regex LOG FILTER: "Lines: N lines, 0 ignored, M matched, K missed"
matched() {
	fail2ban-regex "$T/lines" "$2" 2>&1 | sed -n 's/^Lines: .* \([0-9]\+\) matched.*/\1/p'
}
expect() {
	local got
	got=$(matched "$T/lines" "$2")
	if [ "$got" = "$3" ]; then echo "ok: $1 ($got matched)"; else
		echo "FAIL: $1: $got matched, expected $3"; failures=$((failures + 1)); fi
}
expect sendmail-auth /etc/fail2ban/filter.d/sendmail-auth.conf 3
expect sendmail-reject /etc/fail2ban/filter.d/sendmail-reject.conf 3
expect sendmail-reject-aggressive "/etc/fail2ban/filter.d/sendmail-reject.conf[mode=aggressive]" 4
[ "$failures" = 0 ]
