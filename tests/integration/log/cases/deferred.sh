# the MTA answers RCPT with 450; then the MTA is down; a queue run sends it
sink -r RCPT
printf 'Subject: x\n\nb\n' | run $SM -odi root nobody
nosink
clean_queue
printf 'Subject: later\n\nbody\n' | run $SM -odi root nobody@oracle.example.org
sink
run $SM -Ac -q
received
