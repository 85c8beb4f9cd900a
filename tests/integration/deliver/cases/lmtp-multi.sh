# two local users in one LMTP transaction: one to= line for the group and
# one "Sent" in the -v transcript, as sendmail logs a mailer run; then one
# of them refused by mail.local (a user without a mailbox directory entry)
smtp 'MAIL FROM:<bob@oracle.example.org>\r\nRCPT TO:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: two\r\n\r\nfor both\r\n'
qrun
