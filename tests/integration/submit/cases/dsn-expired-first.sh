# an entry older than Timeout.queuereturn is still tried first: the MTA
# takes it now, so nothing is returned
sink -r RCPT
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi nobody
sleep 2
sink
run $SM -Ac -q -O Timeout.queuereturn=1s
sleep 2
received
queue
