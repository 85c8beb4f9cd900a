# QueueLA (Debian's cf leaves sendmail's default) with the load average
# read from /proc/loadavg, here a file bind-mounted over it in the private
# mount namespace of the test: at 99, a message sent with -odi is queued
# (stat=queued), one taken by -bs is left to the queue runner without a
# line but its to= line, and queue runs are skipped (said with -v, logged
# with or without)
la() { echo "$1 1.00 1.00 1/100 1234" > "$W/loadavg"; }
la 99.00
mount --bind "$W/loadavg" /proc/loadavg
sink 127.0.0.2
printf 'Subject: q1\n\nthe longer body\n' | run $SM -Am -odi u@plain.test
queue
{ sleep 1.3; for c in 'EHLO client.test' 'MAIL From:<root@oracle.example.org>' 'RCPT To:<v@plain.test>' DATA; do
	sleep 0.4
	printf '%s\r\n' "$c"
done; printf 'Subject: q2\r\n\r\nbody\r\n.\r\n'; sleep 0.4; printf 'QUIT\r\n'; } |
	$SM -bs -Am 2>&1 | grep -v '^250-' |
	sed 's/ at .*$/ at DATE/; s/oracle.example.org Hello .*,/oracle.example.org Hello CLIENT,/'
sleep 1
queue
run $SM -Am -q -v
run $SM -Am -q
run $SM -Am -qRplain.test -v
# the default QueueLA is 8 per CPU, the load rounded: at 8N-0.5 a run is
# skipped (QueueFactor=1: any message waits), at 8N-0.51 the queue runs
la "$((8 * $(nproc) - 1)).50"
run $SM -Am -q -v -OQueueFactor=1
la "$((8 * $(nproc) - 1)).49"
run $SM -Am -qRv@plain.test -OQueueFactor=1
received
run $SM -Am -qRu@plain.test -OQueueFactor=1
received
queue
umount /proc/loadavg
