# -N success to an MTA without DSN (smtp-sink -N): sendmail relays the
# message and sends the sender a return receipt ("relayed to non-DSN-aware
# mailer") through the same relay
sink -N
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -v -odi -N success,failure nobody
sleep 0.5
received_dsn_last
queue
