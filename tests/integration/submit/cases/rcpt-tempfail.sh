# the MTA answers RCPT with 450 (and, as smtp-sink does then, no PIPELINING)
sink -r RCPT
printf 'Subject: x\n\nb\n' | run $SM -v -odi root nobody
queue
