# programs that fail (EX_NOUSER, an unknown status, EX_TEMPFAIL once), an
# alias of an unknown user, a file that cannot be created: the bounce
# reaches the sender's mailbox, the deferred recipient the next queue run
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<nouser@oracle.example.org>\r\nRCPT TO:<unknown@oracle.example.org>\r\nRCPT TO:<later@oracle.example.org>\r\nRCPT TO:<badfile@oracle.example.org>\r\n' \
	'Subject: failing\r\n\r\nbody\r\n'
qrun
queued
qrun
queued
