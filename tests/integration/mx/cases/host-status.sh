# HostStatusDirectory: each host's status on disk; hoststat (-bh) lists
# them, a later process does not try hosts known down, purgestat (-bH)
# keeps what has not expired
run $SM -bh
mkdir -p /var/spool/mqueue/.hoststat
run $SM -OHostStatusDirectory=.hoststat -bh
send u@mx.test -- -OHostStatusDirectory=.hoststat
sink 127.0.0.2
send w@order.test -- -OHostStatusDirectory=.hoststat
find /var/spool/mqueue/.hoststat -type f | sort | while read -r f; do
	echo "== $f"
	sed 's/^U[0-9]*$/UTIME/' "$f"
done
# how long ago depends on the machine's speed
run $SM -OHostStatusDirectory=.hoststat -bh | sed -E 's/ [0-9+]+:[0-9]{2}:[0-9]{2} / AGO /'
send v@mx.test -- -OHostStatusDirectory=.hoststat
run $SM -OHostStatusDirectory=.hoststat -bH
find /var/spool/mqueue/.hoststat | sort
# an entry older than Timeout.hoststatus (30 minutes, by the file's time)
# is purged; its directory stays
touch -d '2 hours ago' /var/spool/mqueue/.hoststat/test./order./near
run $SM -OHostStatusDirectory=.hoststat -bH
find /var/spool/mqueue/.hoststat | sort
