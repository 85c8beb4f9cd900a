#!/bin/bash
# capture-oracle.sh [CASE...]
#
# Runs the cases of oracle-cases.txt in sendmail 8.17.1 with a milter
# (../../../../shared/tools/sendmail-oracle): the same filter.py, run by
# this machine's python3 and python3-milter copied into the oracle's root,
# and stores the normalized transcript and queue files in
# expected/oracle-NAME.out, which test-oracle.py compares with sdmail's
# engine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/oracle-python.sh"
while read -r name specs; do
	case "$name" in '' | '#'*) continue ;; esac
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
	session=session.txt
	if [[ "$specs" == @* ]]; then # "@FILE": another session than session.txt
		session=${specs%% *}
		session=${session#@}
		specs=${specs#* }
	fi
	# shellcheck disable=SC2086 # the filter specs are words
	"$oracle" shell --file "$stage:/opt/py" --file /usr/lib/python3.11:/usr/lib/python3.11 \
		--file "$here/filter.py:/opt/filter.py" --file "$here/hostile.py:/opt/hostile.py" --file "$here/../smtpd/chat.pl:/opt/chat.pl" \
		--file "$here/oracle-case.sh:/opt/case.sh" --file "$here/$session:/opt/session.txt" \
		bash /opt/case.sh /opt/session.txt $specs 2>&1 |
		python3 "$here/../normalize.py" >"$here/expected/oracle-$name.out"
	echo "captured $name"
done <"$here/oracle-cases.txt"
