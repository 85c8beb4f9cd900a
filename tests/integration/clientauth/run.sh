#!/bin/bash
# run.sh [--postfix] SENDMAIL SM-MTA MAKEMAP [CASE...]
#
# sdmail's SMTP client authenticating with the authinfo map (FEATURE(authinfo))
# over STARTTLS to a real AUTH server (sdmail's sm-mta with Cyrus SASL and a
# sasldb), case by case (cases/NAME.authinfo), compared with what sendmail
# 8.17.1 did in the same set-up (expected/NAME.out, capture-oracle.sh):
# the -v transcript and the client's AUTH=client / STARTTLS=client / to=
# log lines, normalized.  Skips (77) without root, saslpasswd2, certtool
# or systemd-journald.
#
# With --postfix the server is Postfix with Cyrus SASL and a sasldb
# (postfix-peer.sh, the root ../shared/tools/peer-mta set up in
# $PEER_MTA_CACHE/postfix, default /var/cache/peer-mta/postfix, overlaid),
# for the cases of postfix-cases.txt, compared with expected/postfix/
# (capture-oracle.sh --postfix); every message must be in its hold queue.
# Skips (77) also when that root is not there.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
server=sdmail expected=$here/expected
if [ "${1:-}" = --postfix ]; then
	server=postfix expected=$here/expected/postfix
	shift
fi
sm=$(readlink -f "$1") smmta=$(readlink -f "$2") makemap=$(readlink -f "$3")
shift 3
pfroot=${PEER_MTA_CACHE:-/var/cache/peer-mta}/postfix
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
for tool in saslpasswd2 certtool; do
	command -v $tool >/dev/null || { echo "SKIP: $tool missing"; exit 77; }
done
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: systemd-journald missing"; exit 77; }
if [ $server = postfix ] && [ ! -f "$pfroot/.peer-mta" ]; then
	echo "SKIP: no Postfix root in $pfroot (../shared/tools/peer-mta setup postfix)"
	exit 77
fi
. "$here/common.sh"
cases=("$@")
if [ ${#cases[@]} = 0 ] && [ $server = postfix ]; then
	mapfile -t cases <"$here/postfix-cases.txt"
elif [ ${#cases[@]} = 0 ]; then
	mapfile -t cases < <(cd "$here/cases" && ls ./*.authinfo | sed 's|^\./||; s|\.authinfo$||' |
		while read -r c; do [ -f "$c.postfix" ] || echo "$c"; done)
fi
T=$(mktemp -d /tmp/sdmail-clientauth.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
make_ca_dir "$T/tls"
mkdir "$T/j"
bash "$here/../auth/sasl-sandbox.sh" "$makemap" -- --exec \
	env SM="$sm" SM_MTA="$smmta" MAKEMAP="$makemap" TLS="$T/tls" SERVER=$server \
	PFROOT="$pfroot" PFDIR="$T/pf" \
	timeout 300 bash "$here/../log/journal.sh" "$T/j" bash "$here/sdmail-inside.sh" "${cases[@]}" \
	>"$T/raw" 2>&1
[ -n "${CLIENTAUTH_RAW:-}" ] && cp "$T/raw" "$CLIENTAUTH_RAW"
/usr/bin/python3 "$here/compare.py" "$expected" "$T/raw" "${cases[@]}"
