# ETRN: a queue run for the recipients at the host named, started by the
# SMTP server (-bs here) in the background, with sendmail's replies and
# log lines; the entry for another host waits for "ETRN #mqueue", the
# whole queue (sendmail's default queue group)
sink 127.0.0.2
printf 'Subject: e1\n\nbody\n' | run $SM -Am -odq u@plain.test
printf 'Subject: e2\n\nbody\n' | run $SM -Am -odq v@mx2.mx.test
queue
# (after the greeting pause of Debian's cf, one command at a time)
for c in 'EHLO client.test' ETRN 'ETRN plain.test' 'ETRN #nosuchgroup' 'ETRN #mqueue' QUIT; do
	sleep 1.2
	printf '%s\r\n' "$c"
done | { sleep 2; cat; } | $SM -bs -Am 2>&1 | grep -v '^250-' | sed 's/ at .*$/ at DATE/; s/oracle.example.org Hello .*,/oracle.example.org Hello CLIENT,/'
sleep 2 # the run is a child of the session
received
queue
