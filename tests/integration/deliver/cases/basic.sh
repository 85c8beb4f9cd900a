# local users (LMTP), an alias's program and file, a .forward's file
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<bob@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\nRCPT TO:<filealias@oracle.example.org>\r\n' \
	'Subject: first\r\n\r\nthe body\r\n..line\r\n'
qrun
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<both@oracle.example.org>\r\n' \
	'Subject: second\r\nTo: both@oracle.example.org\r\n\r\nsecond body\r\n'
qrun
