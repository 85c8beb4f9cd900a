#!/bin/bash
# Benchmark: end-to-end relay — smtp-source -> MTA -> smtp-sink.  How fast
# each MTA takes 4 KB messages over SMTP and passes them on to a next hop,
# sdmail's sm-mta against Postfix (../shared/tools/peer-mta container) in
# one run on one machine.  Postfix's smtp-source is the client: CLIENTS
# processes (default 10) each send MSGS messages (default 300), once with a
# new connection per message and once with all of a client's messages over
# one connection (-d).  The next hop is Postfix's smtp-sink on
# 127.0.0.1:2526 in the MTA's network namespace, dumping every message to
# a tmpfs (one file each, counted).  The time runs from the first connect
# until the sink holds every message.  Both queues are on disk with the
# MTA's own durability; sdmail: sdmail's default sendmail.mc with
# SMART_HOST relay:[127.0.0.1] on port 2526 (the reliab tests' relay.cf),
# DeliveryMode background (a delivery per message right after its 250);
# Postfix: relayhost = [127.0.0.1]:2526, Debian's defaults otherwise.
# Reports messages per second and sdmail's ratio to Postfix, with the load
# average at the start of each run.  Writes bench/results/relay.txt.
# Needs root, systemd-nspawn, a built tree (BUILD, default build/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# before this run writes its results file (which would make the tree "dirty")
version=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
build=${BUILD:-$top/build}
peer=${PEER_MTA:-$top/../shared/tools/peer-mta}
peer_cache=${PEER_MTA_CACHE:-/var/cache/peer-mta}
clients=${CLIENTS:-10} msgs=${MSGS:-300}
total=$((clients * msgs))
tmp=$(mktemp -d)
chmod 755 "$tmp"
main_cf=$peer_cache/postfix/etc/postfix/main.cf
cleanup() {
	"$peer" stop postfix >/dev/null 2>&1 || true
	# the peer's cached root is shared: give Postfix its queue-only setup back
	[ -f "$tmp/main.cf" ] && cp "$tmp/main.cf" "$main_cf"
	rm -rf "$tmp"
}
trap cleanup EXIT

sh "$top/tests/integration/fetch-sink.sh" "$build/smtp-sink-cache" >/dev/null
sink_root=$build/smtp-sink-cache/root
relay_cf=$build/tests/integration/reliab/relay.cf
[ -f "$relay_cf" ] || { echo "no $relay_cf: build the tree first" >&2; exit 1; }

# run.sh HOST:PORT FROM TO [-d]: a sink on 127.0.0.1:2526 dumping into a
# tmpfs, then the clients; prints "seconds load-average" once the sink
# holds all $total messages (or after 600 s, with what it got)
cat > "$tmp/run.sh" <<RUN
#!/bin/bash
set -u
export LD_LIBRARY_PATH=$sink_root/usr/lib/postfix
dump=\$(mktemp -d /dev/shm/relay-sink.XXXXXX)
chmod 777 \$dump
$sink_root/usr/sbin/smtp-sink -u nobody -d "\$dump/%M." 127.0.0.1:2526 1000 &
sink=\$!
sleep 0.5
# the machine's load: the test sandbox binds a load of 0 over /proc/loadavg
load=\$(cut -d' ' -f1 "\${SANDBOX_MACHINE_LOADAVG:-/proc/loadavg}")
start=\$(date +%s.%N)
pids=
for i in \$(seq $clients); do
	$sink_root/usr/sbin/smtp-source -s 1 -m $msgs -l 4096 \${4:-} -f "\$2" -t "\$3" "\$1" &
	pids="\$pids \$!"
done
for i in \$(seq 6000); do
	n=\$(find "\$dump" -type f | wc -l)
	[ "\$n" -ge $total ] && break
	sleep 0.1
done
end=\$(date +%s.%N)
wait \$pids 2>/dev/null || true
kill \$sink; wait \$sink 2>/dev/null || true
echo "\$(echo "\$end - \$start" | bc -l) \$load \$n"
rm -rf "\$dump"
RUN
chmod 755 "$tmp/run.sh"

rate() { echo "scale=0; $total / $1" | bc -l; }

# sdmail: sm-mta in the golden sandbox, queue on ext4
"$top/tests/golden/sandbox.sh" "$top/tests/golden/etc/debian" "$build/tools/makemap" -- bash -c "
	set -e
	disk=\$(mktemp -d /var/tmp/sdmail-bench.XXXXXX)
	chown smmta:smmta \$disk && chmod 700 \$disk
	mount --bind \$disk /var/spool/mqueue
	# the recipient's domain resolves (the sandbox's name server refuses,
	# and a deferred host map lookup would leave every message queued)
	printf '127.0.0.9\tremote.test\n' >> /etc/hosts
	for m in mailertable virtusertable genericstable; do
		: > /etc/mail/\$m; $build/tools/makemap hash /etc/mail/\$m < /etc/mail/\$m
	done
	chgrp smmta /etc/mail/*.db && chmod g+r /etc/mail/*.db
	cp $relay_cf $tmp/sendmail.cf
	$build/daemon/sm-mta -bD -C $tmp/sendmail.cf -q10m -O ConnectionRateThrottle=0 \
		-O MaxDaemonChildren=0 2>/dev/null &
	pid=\$!
	sleep 1
	for mode in new reuse; do
		flag=; [ \$mode = reuse ] && flag=-d
		echo \"\$mode \$($tmp/run.sh 127.0.0.1:25 bench@oracle.example.org bench@remote.test \$flag) \$(ls /var/spool/mqueue | grep -c '^qf' || true)\" >> $tmp/sdmail.txt
		find /var/spool/mqueue -type f -delete
	done
	kill \$pid; wait \$pid || true
	umount /var/spool/mqueue; rm -rf \$disk"

# Postfix: relayhost to the sink in its network namespace
cp "$main_cf" "$tmp/main.cf"
for mode in new reuse; do
	flag=; [ $mode = reuse ] && flag=-d
	"$peer" start postfix >/dev/null
	"$peer" run postfix postconf -e 'relayhost = [127.0.0.1]:2526' \
		'smtpd_recipient_restrictions = permit_mynetworks, reject'
	"$peer" run postfix postfix reload >/dev/null 2>&1
	sleep 1
	echo "$mode $("$peer" exec postfix "$tmp/run.sh" 127.0.0.1:2525 bench@peer.test bench@remote.test $flag) $("$peer" queue postfix)" >> "$tmp/postfix.txt"
	"$peer" stop postfix >/dev/null
	cp "$tmp/main.cf" "$main_cf"
done

field() { awk -v m="$2" -v c="$3" '$1 == m {print $c}' "$tmp/$1.txt"; }
mkdir -p "$here/results"
{
	echo "# bench/relay.sh — end-to-end relay of 4 KB messages: smtp-source -> MTA -> smtp-sink"
	echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs shared with other work (load average at each run's start below),"
	echo "# $clients smtp-source clients x $msgs messages = $total per run; time from the first connect until the sink has all; queues on disk"
	echo "# sdmail $version (sm-mta, session processes, DeliveryMode background), Postfix from Debian 12 (peer-mta, relayhost)"
	printf '%-10s %22s %8s %8s %26s %8s %8s\n' "" "new conn/msg: msg/s" "at sink" "load" "one conn/client: msg/s" "at sink" "load"
	for mta in sdmail postfix; do
		printf '%-10s %22s %8s %8s %26s %8s %8s\n' "$mta" \
			"$(rate "$(field $mta new 2)")" "$(field $mta new 4)" "$(field $mta new 3)" \
			"$(rate "$(field $mta reuse 2)")" "$(field $mta reuse 4)" "$(field $mta reuse 3)"
	done
	for mode in new reuse; do
		echo "$mode: sdmail/postfix throughput ratio $(echo "scale=2; $(field postfix $mode 2) / $(field sdmail $mode 2)" | bc -l)"
	done
} | tee "$here/results/relay.txt"
