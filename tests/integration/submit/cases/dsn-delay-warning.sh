# the MTA defers (4xx); a queue run after Timeout.queuewarn warns the
# sender (NOTIFY=DELAY asked for); deferred too, the warning waits; once
# the MTA takes mail, a run delivers the message and the warning
# (sendmail -q works in the background: the sleeps let each run finish)
sink -r RCPT
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi -N failure,delay nobody
sleep 2
run $SM -Ac -q -O Timeout.queuewarn=1s
sleep 2
sink
run $SM -Ac -q -O Timeout.queuewarn=1s
sleep 2
received
queue
