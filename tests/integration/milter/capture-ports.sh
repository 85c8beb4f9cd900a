#!/bin/bash
# capture-ports.sh
#
# Runs port-case.sh (per-port InputMailFilters=) in sendmail 8.17.1's
# root (../../../../shared/tools/sendmail-oracle, `sendmail -bD`) with
# the same filter.py and python3-milter as capture-oracle.sh, and stores
# the normalized transcripts and queue files in expected/ports.out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/oracle-python.sh"
"$oracle" shell --file "$stage:/opt/py" --file /usr/lib/python3.11:/usr/lib/python3.11 \
	--file "$here/filter.py:/opt/filter.py" --file "$here/../smtpd/chat.pl:/opt/chat.pl" \
	--file "$here/port-case.sh:/opt/case.sh" --file "$here/session.txt:/opt/session.txt" \
	bash /opt/case.sh /opt/session.txt 2>&1 |
	python3 "$here/../normalize.py" >"$here/expected/ports.out"
echo "captured ports"
