# the MTA defers (4xx); a queue run after Timeout.queuereturn returns the
# message to the sender and drops the entry
sink -r RCPT
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi nobody
sleep 2
sink
run $SM -Ac -q -O Timeout.queuereturn=1s
received
queue
