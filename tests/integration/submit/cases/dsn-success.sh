# -N success,failure: the MTA speaks DSN, so the request travels with the
# recipient (NOTIFY=SUCCESS,FAILURE) and the command sends no receipt
sink
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi -N success,failure nobody
received
queue
