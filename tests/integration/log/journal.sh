#!/bin/bash
# journal.sh OUTDIR CMD...: runs CMD with a standalone systemd-journald of
# its own (volatile storage, no kmsg, no syslog forwarding) answering on
# /run/systemd/journal/socket in a private mount namespace, then leaves the
# journal files in OUTDIR/journal for `journalctl -D`.  Needs root.
set -euo pipefail
out=$(cd "$1" && pwd)
shift
mkdir -p "$out/journal"
printf '[Journal]\nStorage=volatile\nReadKMsg=no\nForwardToSyslog=no\nForwardToWall=no\nRateLimitBurst=0\n' >"$out/journald.conf"
export JOURNAL_OUT=$out
exec unshare -m --propagation private bash -c '
	set -e
	mount -t tmpfs tmpfs /run
	mkdir -p /run/systemd/journal /run/log/journal
	mount --bind "$JOURNAL_OUT/journal" /run/log/journal
	mount --bind "$JOURNAL_OUT/journald.conf" /etc/systemd/journald.conf
	/lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 & jp=$!
	for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
	set +e
	"$@"; rc=$?
	journalctl --sync >/dev/null 2>&1
	kill $jp; wait $jp 2>/dev/null
	exit $rc' journal "$@"
