# -N success to an MTA without DSN (smtp-sink -N): sendmail relays the
# message and sends the sender a return receipt ("relayed to non-DSN-aware
# mailer") through the same relay
sink -N
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -v -odi -N success,failure nobody
# the message first, then the receipt (dump names do not order one second)
sleep 0.5
for f in $(grep -L '^X-Mail-Args: <>$' "$W"/dump/*) $(grep -l '^X-Mail-Args: <>$' "$W"/dump/*); do
	echo "--- received"
	cat "$f"
done
rm -f "$W"/dump/*
queue
