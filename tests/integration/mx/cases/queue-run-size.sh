# MaxQueueRunSize: a run works on that many entries, the others wait for
# the next run.  Which ones is not compared: sendmail 8.17.1 takes the
# first the directory lists (then sorts them by priority), sdmail the
# best priorities
sink 127.0.0.2
for p in 3 1 4 2; do
	printf 'Subject: p%s\n\nbody\n' "$p" | $SM -Am -odq "u$p@plain.test"
done
for size in 2 1 0; do
	echo "--- MaxQueueRunSize=$size"
	$SM -Am -q -v -OMaxQueueRunSize=$size >"$W/run.txt" 2>&1
	echo "rc=$?"
	grep -E '^Running' "$W/run.txt" | sed 's|/var/spool/mqueue/[0-9A-Za-x]*|ENTRY|'
	echo "sent: $(grep -c '^u[0-9]@plain.test\.\.\. Sent' "$W/run.txt")"
	echo "received: $(received | grep -c '^X-Rcpt-Args')"
done
