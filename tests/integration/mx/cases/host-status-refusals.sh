# HostStatusDirectory after a server refused a command (not the
# connection): what sendmail records for a 4xx/5xx reply to MAIL, RCPT
# and DATA, and what hoststat (-bh) then shows (-oeq: no bounce to root)
mkdir -p /var/spool/mqueue/.hoststat
status() {
	find /var/spool/mqueue/.hoststat -type f | sort | while read -r f; do
		echo "== $f"
		sed 's/^U[0-9]*$/UTIME/' "$f"
	done
}
sink 127.0.0.2 -r MAIL
send a@plain.test -- -OHostStatusDirectory=.hoststat -oeq
status
nosinks
sink 127.0.0.2 -f RCPT
send b@plain.test -- -OHostStatusDirectory=.hoststat -oeq
status
nosinks
sink 127.0.0.4 -f MAIL
send c@fallback.test -- -OHostStatusDirectory=.hoststat -oeq
status
sink 127.0.0.3 -r RCPT
send d@mx2.mx.test -- -OHostStatusDirectory=.hoststat -oeq
status
nosinks
sink 127.0.0.3 -f DATA
send e@mx2.mx.test -- -OHostStatusDirectory=.hoststat -oeq
status
# the DSN of a refused DATA, to a sender whose host takes it
sink 127.0.0.4
send h@mx2.mx.test -- -f s@fallback.test
received
# how long ago depends on the machine's speed
run $SM -OHostStatusDirectory=.hoststat -bh | sed -E 's/ [0-9+]+:[0-9]{2}:[0-9]{2} / AGO /'
