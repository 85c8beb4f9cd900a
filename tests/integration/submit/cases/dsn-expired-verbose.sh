# the expiry in a queue run with -v: the attempt, then the DSN, deferred
sink -r RCPT
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi -N failure,delay nobody
sleep 2
run $SM -v -Ac -q -O Timeout.queuereturn=1s
# the DSN's priority counts the Received header, whose $v is sdmail's own
queue | sed 's/^P3[0-9]*$/P3xxxx/'
clean_queue
