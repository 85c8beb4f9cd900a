#!/bin/bash
# run.sh SENDMAIL SM-MTA MAKEMAP [CASE...]
#
# The try_tls and tls_server rulesets in sdmail's SMTP client (Debian's
# sendmail.cf: "Try_TLS:" and "TLS_Srv:" entries of the access map), case
# by case (cases/NAME.access), against sdmail's sm-mta with and without
# STARTTLS, compared with what sendmail 8.17.1 did in the same set-up
# (expected/NAME.out, capture-oracle.sh): the -v transcript, the client's
# STARTTLS=client, ruleset= and to= log lines, normalized, and the message
# in the server's queue when the oracle's got through (compare.py).
# Skips (77) without root, saslpasswd2, certtool or systemd-journald.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sm=$(readlink -f "$1") smmta=$(readlink -f "$2") makemap=$(readlink -f "$3")
shift 3
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
for tool in saslpasswd2 certtool; do
	command -v $tool >/dev/null || { echo "SKIP: $tool missing"; exit 77; }
done
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: systemd-journald missing"; exit 77; }
. "$here/common.sh"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$here/cases" && ls ./*.access | sed 's|^\./||; s|\.access$||')
T=$(mktemp -d /tmp/sdmail-tlssrv.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
make_tls_dirs "$T/tls"
chmod -R a+rX "$T/tls"
mkdir "$T/j"
"$here/../../golden/sandbox.sh" "$here/../../golden/etc/debian" "$makemap" -- \
	env SM="$sm" SM_MTA="$smmta" MAKEMAP="$makemap" TLS="$T/tls" \
	timeout 300 bash "$here/../log/journal.sh" "$T/j" bash "$here/sdmail-inside.sh" "${cases[@]}" \
	>"$T/raw" 2>&1
[ -n "${TLSSRV_RAW:-}" ] && cp "$T/raw" "$TLSSRV_RAW"
/usr/bin/python3 "$here/compare.py" "$here/expected" "$T/raw" "${cases[@]}"
