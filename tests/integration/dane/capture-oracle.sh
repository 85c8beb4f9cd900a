#!/bin/bash
# capture-oracle.sh: records why the DANE test has no golden files of
# sendmail 8.17.1's: Debian builds it without the DANE compile option, so
# its "Compiled with:" list (-d0.1) lacks DANE and a cf setting the DANE
# option is refused.  Writes expected/oracle-no-dane.txt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
mkdir -p "$here/expected"
{
	echo '$ sendmail -d0.1 -bt </dev/null (compile options)'
	"$oracle" run -- -d0.1 -bt </dev/null 2>&1 | sed -n '/^ Compiled with:/,/^$/p' | sed '/^$/d'
	echo '$ echo "$=w" | sendmail -bt -O DANE=true -O ResolverOptions=+TrustAD; echo rc=$?'
	echo '$=w' | "$oracle" run -- -bt -O DANE=true -O ResolverOptions=+TrustAD 2>&1 | head -1 || true
	echo "rc=$("$oracle" run -- -bt -O DANE=true </dev/null >/dev/null 2>&1; echo $?)"
} >"$here/expected/oracle-no-dane.txt"
cat "$here/expected/oracle-no-dane.txt"
