#!/bin/bash
# capture-oracle.sh: session.sh with sendmail 8.17.1's editmap and makemap
# (../shared/tools/sendmail-oracle) into expected/session.out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
mkdir -p "$here/expected"
"$oracle" shell --file "$here/session.sh:/opt/session.sh" \
	bash -c 'mkdir -m 755 /var/tmp/em && cd /var/tmp/em &&
		EDITMAP=/usr/sbin/editmap MAKEMAP=/usr/sbin/makemap bash /opt/session.sh' \
	>"$here/expected/session.out"
echo "captured session"
