#!/bin/bash
# Benchmark: SMTP intake — how fast each MTA accepts 4 KB messages over
# SMTP until they are durable in its queue (250 after DATA), sdmail's
# sm-mta against Postfix and sendmail 8.17.1 (../shared/tools/peer-mta
# containers) in one run on one machine.  Postfix's smtp-source is the
# client: CLIENTS processes (default 10) each send MSGS messages (default
# 300), once with a new connection per message (what a fork per
# connection pays for) and once with all of a client's messages over one
# connection (-d).  Every queue is on disk with the MTA's own durability
# (sdmail: fsync of df and qf and the directory; see peer-mta --help for
# the peers').  Reports messages per second, the count actually queued,
# and sdmail's ratios.  Writes bench/results/smtpd.txt.  Needs root,
# systemd-nspawn, a built tree (BUILD, default build/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# before this run writes its results file (which would make the tree "dirty")
version=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
build=${BUILD:-$top/build}
peer=${PEER_MTA:-$top/../shared/tools/peer-mta}
clients=${CLIENTS:-10} msgs=${MSGS:-300}
total=$((clients * msgs))
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; "$peer" stop >/dev/null 2>&1 || true' EXIT
chmod 755 "$tmp"

sh "$top/tests/integration/fetch-sink.sh" "$build/smtp-sink-cache" >/dev/null
sink_root=$build/smtp-sink-cache/root
cat > "$tmp/load.sh" <<LOAD
#!/bin/bash
# load.sh HOST:PORT FROM TO [-d]: $clients smtp-source clients, $msgs messages each;
# prints the seconds it took
export LD_LIBRARY_PATH=$sink_root/usr/lib/postfix
start=\$(date +%s.%N)
for i in \$(seq $clients); do
	$sink_root/usr/sbin/smtp-source -s 1 -m $msgs -l 4096 \${4:-} -f "\$2" -t "\$3" "\$1" &
done
wait
end=\$(date +%s.%N)
echo "\$end - \$start" | bc -l
LOAD
chmod 755 "$tmp/load.sh"

rate() { echo "scale=0; $total / $1" | bc -l; }

# sdmail: sm-mta in the golden sandbox (Debian's sendmail.cf, -odq), queue on ext4
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$build/tools/makemap" -- bash -c "
	set -e
	disk=\$(mktemp -d /var/tmp/sdmail-bench.XXXXXX)
	chown smmta:smmta \$disk && chmod 700 \$disk
	mount --bind \$disk /var/spool/mqueue
	chgrp smmta /etc/mail/*.db && chmod g+r /etc/mail/*.db
	$build/daemon/sm-mta -bD -odq -O ConnectionRateThrottle=0 -O MaxDaemonChildren=0 &
	pid=\$!
	sleep 1
	for mode in new reuse; do
		flag=; [ \$mode = reuse ] && flag=-d
		secs=\$($tmp/load.sh 127.0.0.1:25 root@oracle.example.org root@oracle.example.org \$flag)
		n=\$(ls /var/spool/mqueue | grep -c '^qf' || true)
		echo \"\$mode \$secs \$n\" >> $tmp/sdmail.txt
		find /var/spool/mqueue -type f -delete
	done
	kill \$pid; wait \$pid || true
	umount /var/spool/mqueue; rm -rf \$disk"

for mta in postfix sendmail; do
	for mode in new reuse; do
		flag=; [ $mode = reuse ] && flag=-d
		"$peer" start "$mta" >/dev/null
		secs=$("$peer" exec "$mta" "$tmp/load.sh" 127.0.0.1:2525 bench@peer.test bench@peer.test $flag)
		echo "$mode $secs $("$peer" queue "$mta")" >> "$tmp/$mta.txt"
		"$peer" stop "$mta" >/dev/null
	done
done

field() { awk -v m="$2" -v c="$3" '$1 == m {print $c}' "$tmp/$1.txt"; }
mkdir -p "$here/results"
{
	echo "# bench/smtpd.sh — SMTP intake of 4 KB messages until durable in the queue"
	echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $clients smtp-source clients x $msgs messages = $total per run, queues on disk"
	echo "# sdmail $version (sm-mta, session processes), Postfix and sendmail 8.17.1 from Debian 12 (peer-mta)"
	printf '%-16s %22s %10s %22s %10s\n' "" "new conn/msg: msg/s" "queued" "one conn/client: msg/s" "queued"
	for mta in sdmail postfix sendmail; do
		printf '%-16s %22s %10s %22s %10s\n' "$mta" "$(rate "$(field $mta new 2)")" "$(field $mta new 3)" \
			"$(rate "$(field $mta reuse 2)")" "$(field $mta reuse 3)"
	done
	for mode in new reuse; do
		sd=$(field sdmail $mode 2)
		for mta in postfix sendmail; do
			echo "$mode: sdmail/$mta throughput ratio $(echo "scale=2; $(field $mta $mode 2) / $sd" | bc -l)"
		done
	done
} | tee "$here/results/smtpd.txt"
