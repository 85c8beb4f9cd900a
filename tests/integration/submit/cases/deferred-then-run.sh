# the MTA is down: the message waits in the client queue; a queue run sends it
printf 'Subject: later\n\nbody\n' | run $SM -v -odi root nobody@oracle.example.org
queue
run $SM -Ac -bp
sink
run $SM -Ac -q -v
received
queue
run $SM -Ac -bp
