#!/bin/bash
# capture-oracle.sh SINK_CACHE [CASE...]
#
# Runs the 8->7 bit conversion cases in sendmail 8.17.1
# (../shared/tools/sendmail-oracle, Debian's sendmail.cf) against Postfix's
# smtp-sink and stores their normalized output in expected/.  SINK_CACHE is
# the directory where the smtp-sink test unpacked Postfix
# (build/smtp-sink-cache).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../oracle-sink.sh"
oracle_sink_setup "$here" "$@"
for name in "${cases[@]}"; do
	"$oracle" shell --file "$here/drive.sh:/opt/drive.sh" --file "$here/cases/$name.sh:/opt/case.sh" \
		--file "$sink:/opt/pf" --file "$libs:/opt/pflibs" \
		env SM=/usr/sbin/sendmail SINK_ROOT=/opt/pf SINK_LIBS=/opt/pflibs \
		bash /opt/drive.sh /opt/case.sh 2>&1 | python3 "$here/../normalize.py" >"$here/expected/$name.out"
	echo "captured $name"
done
