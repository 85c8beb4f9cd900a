#!/bin/bash
# capture-ports.sh
#
# Runs port-case.sh (per-port InputMailFilters=) in sendmail 8.17.1's
# root (../../../../shared/tools/sendmail-oracle, `sendmail -bD`) with
# the same filter.py and python3-milter as capture-oracle.sh, and stores
# the normalized transcripts and queue files in expected/ports.out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib"
cp /usr/bin/python3.11 "$stage/python3"
cp -r /usr/lib/python3/dist-packages/Milter "$stage/lib/"
cp -L /usr/lib/python3/dist-packages/milter.cpython-311-x86_64-linux-gnu.so \
	/lib/x86_64-linux-gnu/libmilter.so.1.0.1 /lib/x86_64-linux-gnu/libexpat.so.1 \
	/lib/x86_64-linux-gnu/libz.so.1 "$stage/lib/"
"$oracle" shell --file "$stage:/opt/py" --file /usr/lib/python3.11:/usr/lib/python3.11 \
	--file "$here/filter.py:/opt/filter.py" --file "$here/../smtpd/chat.pl:/opt/chat.pl" \
	--file "$here/port-case.sh:/opt/case.sh" --file "$here/session.txt:/opt/session.txt" \
	bash /opt/case.sh /opt/session.txt 2>&1 |
	python3 "$here/../normalize.py" >"$here/expected/ports.out"
echo "captured ports"
