# VERB: sendmail delivers the transaction after it at once (interactive
# mode) and shows the delivery's transcript to the client as 050 lines,
# for every transaction of the session
sink 127.0.0.2
{
	sleep 2 # Debian's greeting pause
	for c in 'EHLO client.test' VERB 'MAIL From:<root@oracle.example.org>' \
		'RCPT To:<u@plain.test>' DATA; do
		sleep 1.2
		printf '%s\r\n' "$c"
	done
	sleep 1.2
	printf 'Subject: verb\r\n\r\nbody\r\n.\r\n'
	# the next transaction too; its host refuses the connection
	for c in 'MAIL From:<root@oracle.example.org>' 'RCPT To:<v@mx2.mx.test>' DATA; do
		sleep 1.2
		printf '%s\r\n' "$c"
	done
	sleep 1.2
	printf 'Subject: verb 2\r\n\r\nbody\r\n.\r\n'
	sleep 3
	printf 'QUIT\r\n'
} | $SM -bs -Am 2>&1 | grep -v '^250-'
received
queue
