#!/bin/bash
# Benchmark: `sendmail -t -odq` of a 4 KB message until it is durable in the
# client queue, sdmail against sendmail 8.17.1, RUNS (200) runs each in one
# go on one machine, as the normal user nobody through each one's setgid
# smmsp binary (Debian's for sendmail, a copy installed the same way for
# sdmail).  Both queues are on memory file systems (the oracle's root is an
# overlay on tmpfs; sdmail's sandbox mounts a tmpfs on /var/spool), so the
# numbers compare the programs' work, not the disk; a second sdmail run on
# ext4 (/var/tmp) shows what fsync costs there.  Reports median and 90th
# percentile wall time and median peak memory (ru_maxrss), and the ratios.
# Writes bench/results/submit.txt.  Needs root, cc, ../shared/tools.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${BUILD:-$top/build}
oracle=${ORACLE:-$top/../shared/tools/sendmail-oracle}
runs=${RUNS:-200}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

cc -O2 -static -o "$tmp/driver" "$here/submit-driver.c"
# a 4 KB message as a mail client writes it for -t
{
	printf 'From: Bench Mark <nobody@oracle.example.org>\nTo: root@oracle.example.org\n'
	printf 'Subject: benchmark message\nMIME-Version: 1.0\nContent-Type: text/plain\n\n'
	for i in $(seq 1 58); do printf 'line %02d of the benchmark body, 4 KB in all, text only.......\n' "$i"; done
} | head -c 4096 > "$tmp/msg.txt"
chmod 644 "$tmp/msg.txt"

# sendmail 8.17.1, inside the oracle root (setgid smmsp, Debian's submit.cf)
"$oracle" shell --file "$tmp/driver:/opt/driver" --file "$tmp/msg.txt:/opt/msg.txt" \
	/opt/driver -u 65534:65534 "$runs" /opt/msg.txt -- /usr/sbin/sendmail -t -odq \
	> "$tmp/sendmail.txt"

# sdmail, in the sandbox with the same /etc/mail, installed setgid smmsp
cp "$build/submit/sendmail" "$tmp/sdmail"
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$build/tools/makemap" -- bash -c "
	chgrp 102 $tmp/sdmail && chmod 2755 $tmp/sdmail
	chown smmsp:smmsp /var/spool/mqueue-client && chmod 2770 /var/spool/mqueue-client
	$tmp/driver -u 65534:65534 $runs $tmp/msg.txt -- $tmp/sdmail -t -odq > $tmp/sdmail.txt
	rm -f /var/spool/mqueue-client/*
	disk=\$(mktemp -d /var/tmp/sdmail-bench.XXXXXX)
	chown smmsp:smmsp \$disk && chmod 2770 \$disk
	mount --bind \$disk /var/spool/mqueue-client
	$tmp/driver -u 65534:65534 $runs $tmp/msg.txt -- $tmp/sdmail -t -odq > $tmp/sdmail-disk.txt
	umount /var/spool/mqueue-client; rm -rf \$disk"

stat_of() { # FILE COLUMN PERCENTILE
	awk -v c="$2" '{print $c}' "$1" | sort -n |
		awk -v p="$3" '{a[NR]=$1} END {i=int(NR*p/100+0.5); if (i<1) i=1; print a[i]}'
}
failed() { awk '$3 != 0' "$1" | wc -l; }
for f in sendmail sdmail sdmail-disk; do
	[ "$(wc -l < "$tmp/$f.txt")" = "$runs" ] || { echo "$f: not $runs runs" >&2; exit 1; }
	[ "$(failed "$tmp/$f.txt")" = 0 ] || { echo "$f: failed runs" >&2; exit 1; }
done
sm_med=$(stat_of "$tmp/sendmail.txt" 1 50) sm_p90=$(stat_of "$tmp/sendmail.txt" 1 90)
sd_med=$(stat_of "$tmp/sdmail.txt" 1 50) sd_p90=$(stat_of "$tmp/sdmail.txt" 1 90)
dk_med=$(stat_of "$tmp/sdmail-disk.txt" 1 50) dk_p90=$(stat_of "$tmp/sdmail-disk.txt" 1 90)
sm_rss=$(stat_of "$tmp/sendmail.txt" 2 50) sd_rss=$(stat_of "$tmp/sdmail.txt" 2 50)
mkdir -p "$here/results"
{
	echo "# bench/submit.sh — sendmail -t -odq of a 4 KB message until durable"
	echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $runs runs each, as nobody via setgid smmsp"
	echo "# sendmail $( "$oracle" run -- -d0.1 -bt </dev/null 2>/dev/null | head -1 | awk '{print $2}') (oracle root, tmpfs), sdmail $(git -C "$top" describe --always --dirty 2>/dev/null) (sandbox, tmpfs)"
	printf '%-22s %12s %12s %14s\n' "" "median us" "p90 us" "median RSS KB"
	printf '%-22s %12s %12s %14s\n' "sendmail 8.17.1" "$sm_med" "$sm_p90" "$sm_rss"
	printf '%-22s %12s %12s %14s\n' "sdmail" "$sd_med" "$sd_p90" "$sd_rss"
	printf '%-22s %12s %12s %14s\n' "sdmail, queue on ext4" "$dk_med" "$dk_p90" "-"
	awk -v a="$sd_med" -v b="$sm_med" 'BEGIN {printf "time ratio sdmail/sendmail (median): %.2f (target <= 0.50)\n", a / b}'
	awk -v a="$sd_rss" -v b="$sm_rss" 'BEGIN {printf "memory ratio sdmail/sendmail (median peak RSS): %.2f (target <= 1.00)\n", a / b}'
} | tee "$here/results/submit.txt"
