# the MTA defers (4xx); a queue run after Timeout.queuereturn returns the
# message to the sender and drops the entry; the DSN is deferred too and
# waits in the client queue until the MTA takes mail
# (sendmail -q works in the background: the sleeps let each run finish)
sink -r RCPT
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi nobody
sleep 2
run $SM -Ac -q -O Timeout.queuereturn=1s
sleep 2
sink
run $SM -Ac -q
sleep 2
received
queue
