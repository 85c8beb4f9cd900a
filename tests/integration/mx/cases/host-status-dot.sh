# HostStatusDirectory after a server refused the message at the final
# dot: what sendmail records, and what hoststat (-bh) then shows (-oeq: no
# bounce to root).  sendmail takes a 5xx whose middle digit is not 5
# (500) for a protocol error, 550 and 554 for refusals, 4xx for a deferral
mkdir -p /var/spool/mqueue/.hoststat
status() {
	find /var/spool/mqueue/.hoststat -type f | sort | while read -r f; do
		echo "== $f"
		sed 's/^U[0-9]*$/UTIME/' "$f"
	done
}
sink 127.0.0.3 -f .
send f@mx2.mx.test -- -OHostStatusDirectory=.hoststat -oeq
status
nosinks
sink 127.0.0.3 -r .
send g@mx2.mx.test -- -OHostStatusDirectory=.hoststat -oeq
status
nosinks
sink 127.0.0.2 -f . -B '554 5.7.1 Rejected for policy'
send h@plain.test -- -OHostStatusDirectory=.hoststat -oeq
status
# how long ago depends on the machine's speed
run $SM -OHostStatusDirectory=.hoststat -bh | sed -E 's/ [0-9+]+:[0-9]{2}:[0-9]{2} / AGO /'
