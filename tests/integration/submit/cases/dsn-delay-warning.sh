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
# one run each (smtp-sink's dump names do not order two messages of a second)
run $SM -Ac -qSroot -O Timeout.queuewarn=1s
sleep 2
received
run $SM -Ac -qSMAILER-DAEMON -O Timeout.queuewarn=1s
sleep 2
received
queue
