#!/bin/bash
# capture-mailq.sh MAILQ-TOOL [NAME...]
#
# Development machines only: (re)makes expected/NAME.out and NAME-v.out
# by building each case's queue directory with mailq-tool and running
# sendmail 8.17.1's `sendmail -bp -Ac` (and -v) on those very files in the
# oracle, as /var/spool/mqueue-client (owner smmsp, files mode 0660),
# with TZ=UTC.  --lock=ID options become a flock(1) held during the run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tool=$(readlink -f "$1"); shift
oracle=${SENDMAIL_ORACLE:-$here/../../../shared/tools/sendmail-oracle}
[ -x "$oracle" ] || oracle=/work/shared/tools/sendmail-oracle
names=("$@")
[ ${#names[@]} -gt 0 ] || mapfile -t names < <(grep -Ev '^(#|$)' "$here/mailq-cases.txt" | cut -d' ' -f1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "${names[@]}"; do
	read -r _ build opts <<<"$(grep -E "^$name " "$here/mailq-cases.txt")"
	rm -rf "$tmp/q"
	TZ=UTC "$tool" build "$tmp/q" "$build"
	pre="" args=""
	for o in $opts; do
		case $o in
		--lock=*) pre+="(flock qf${o#--lock=} sleep 30 >/dev/null 2>&1 &); " ;;
		--*) ;;
		*) args+=" $o" ;;
		esac
	done
	for v in "" -v; do
		"$oracle" shell --file "$tmp/q:/tmp/q" sh -c "
			export TZ=UTC
			rm -rf /var/spool/mqueue-client/*
			cp -a /tmp/q/. /var/spool/mqueue-client/
			chown -R smmsp:smmsp /var/spool/mqueue-client
			find /var/spool/mqueue-client -type f -exec chmod 0660 {} +
			cd /var/spool/mqueue-client
			$pre sleep 0.3
			sendmail -bp $v -Ac $args" >"$here/expected/$name${v:+-v}.out"
	done
	echo "captured $name"
done
