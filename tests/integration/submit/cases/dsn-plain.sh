# SendMimeErrors=False: the plain-text DSN of sendmail before MIME (the
# expiry DSN of a queue run, deferred, then delivered by the next run)
sink -r RCPT
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi nobody
sleep 2
run $SM -Ac -q -O Timeout.queuereturn=1s -O SendMimeErrors=False
sleep 2
sink
run $SM -Ac -q
sleep 2
received
queue
