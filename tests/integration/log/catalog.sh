#!/bin/bash
# catalog.sh LOG_LINES CATALOG CATALOG_H: the message catalog in use.
# log-lines writes an entry of every kind lib/log/catalog.h gives a
# MESSAGE_ID to (from=, to= sent/deferred/bounced, DSN, reject, AUTH failure)
# into a standalone journald (journal.sh); then, in a private mount
# namespace where /usr/lib/systemd/catalog holds only sdmail.catalog and
# the catalog database is a fresh one, `journalctl --update-catalog`
# compiles it and `journalctl -x` must show each entry's explanation with
# its fields substituted.  Every ID of catalog.h has a catalog entry and
# no catalog entry is unknown to catalog.h.  Needs root; skipped (77)
# without it or without systemd-journald.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: no systemd-journald"; exit 77; }
T=$(mktemp -d /tmp/sdmail-catalog.XXXXXX)
trap 'rm -rf "$T"' EXIT
lines=$(readlink -f "$1")
catalog=$(readlink -f "$2")
header=$(readlink -f "$3")
failures=0
check() { # check WHAT CONDITION...
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

sed -n 's/^#define SDMAIL_MID_[A-Z_]* "\([0-9a-f]\{32\}\)"$/\1/p' "$header" | sort >"$T/ids.h"
sed -n 's/^-- \([0-9a-f]\{32\}\)$/\1/p' "$catalog" | sort >"$T/ids.catalog"
check "catalog.h and sdmail.catalog name the same $(wc -l <"$T/ids.h") IDs" \
	diff -u "$T/ids.h" "$T/ids.catalog"

"$here/journal.sh" "$T" "$lines" journal
export T catalog
unshare -m --propagation private bash -c '
	set -e
	mkdir -p "$T/catalog-src" "$T/catalog-db"
	cp "$catalog" "$T/catalog-src/sdmail.catalog"
	mount --bind "$T/catalog-src" /usr/lib/systemd/catalog
	mount --bind "$T/catalog-db" /var/lib/systemd/catalog
	journalctl --update-catalog
	journalctl --dump-catalog >"$T/dump.txt"
	while read -r id; do
		LC_ALL=C journalctl -D "$T/journal" -x -o short MESSAGE_ID="$id" >"$T/x-$id.txt" 2>&1 || true
		journalctl -D "$T/journal" -o json MESSAGE_ID="$id" >"$T/json-$id.txt" 2>&1 || true
	done <"$T/ids.h"'
check "the compiled catalog lists $(wc -l <"$T/ids.h") entries" \
	test "$(grep -c '^-- [0-9a-f]\{32\}$' "$T/dump.txt")" = "$(wc -l <"$T/ids.h")"
# explain ID SUBJECT-AFTER-SUBSTITUTION TEXT-OF-THE-ENTRY
explain() {
	local x=$T/x-$1.txt
	cat "$x"
	check "$1: one entry: $3" test "$(grep -c "$3" "$x")" = 1
	check "$1: explained: $2" grep -qF -- "-- Subject: $2" "$x"
	check "$1: the body follows" grep -q '^-- Defined-By: sdmail$' "$x"
}
explain afda8d759f0f4c5cbebbf5ef02d2fb3f "Mail 6AM5mOFj014871 accepted from <a@client.example>" \
	'6AM5mOFj014871: from=<a@client.example>, size=321'
explain 6ec3700195624736b68702a65837bece "Mail 6AM5mOFj014871 delivered" 'stat=Sent (6AM5mOFj099999'
explain e65a99b3b38b4bd9a714388a81f51393 "Mail 6AM5mOFj014871 deferred" 'stat=Deferred: Connection refused'
explain 4aaad7a425a64699a014c512e430809f "Mail 6AM5mOFj014871 could not be delivered" 'stat=User unknown'
explain 427ca17564084314a2352020df415784 "Mail 6AM5mOFj014871 returned: bounce 6AM5mOFj014872 queued" \
	'6AM5mOFj014871: 6AM5mOFj014872: DSN: User unknown$'
check "the reject entries are explained (4 of them)" \
	test "$(grep -c -- '-- Subject: SMTP command refused by policy (check_r' "$T/x-efbca3aef38e464f8e25f2ae993a6a58.txt")" = 4
explain 233bdfb9a532444dac7b2dc102fa7cfc "SMTP AUTH failure for alice" 'AUTH failure (LOGIN)'
check "12 entries carry a MESSAGE_ID, the \"did not issue\" line none" \
	test "$(journalctl -D "$T/journal" -o json SYSLOG_IDENTIFIER=sm-mta | grep -c '"MESSAGE_ID"')" = 12
[ "$failures" = 0 ]
