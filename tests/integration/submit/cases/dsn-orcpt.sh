# ORCPT given over SMTP (sendmail -bs) show in the DSN: a
# return receipt for NOTIFY=SUCCESS relayed to an MTA without DSN
sink -N
{
	for l in 'EHLO client.example.org' 'MAIL FROM:<root@oracle.example.org>' \
		'RCPT TO:<nobody@oracle.example.org> NOTIFY=SUCCESS ORCPT=rfc822;orig+2Bx@example.org' \
		'DATA'; do
		sleep 0.3
		printf '%s\r\n' "$l"
	done
	sleep 0.3
	printf 'Subject: x\r\nMessage-Id: <m1@oracle.example.org>\r\n\r\nbody line\r\n.\r\n'
	sleep 0.3
	printf 'QUIT\r\n'
} | run $SM -bs -odi | tr -d '\r'
sleep 0.5
received_dsn_last
queue
