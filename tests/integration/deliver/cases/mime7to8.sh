# F=9 on the local, prog and file mailers: a message whose top-level type
# is text/plain in quoted-printable or base64 reaches the mailbox, the
# program and the file decoded to 8 bits; other types and multiparts
# stay as they are
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\nRCPT TO:<filealias@oracle.example.org>\r\n' \
	'Subject: qp\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: Quoted-Printable\r\n\r\ncaf=C3=A9 line=3Dx and a soft=\r\n break\r\ntrailing=20\r\nlower =c3=a9\r\n\r\nend soft=\r\n'
qrun
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<bob@oracle.example.org>\r\n' \
	'Subject: b64\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN;charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nY2Fmw6kgbGluZQ0Kc2Vjb25kDQo=\r\nYWJj\r\n'
qrun
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<carol@oracle.example.org>\r\n' \
	'Subject: html\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>caf=C3=A9</p>\r\n'
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<carol@oracle.example.org>\r\n' \
	'Subject: multipart\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9\r\n--b--\r\n'
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<carol@oracle.example.org>\r\n' \
	'Subject: no newline\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nYWJj\r\n'
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<carol@oracle.example.org>\r\n' \
	'Subject: plainish\r\nMIME-Version: 1.0\r\nContent-Type: text/plainx\r\nContent-Transfer-Encoding: base64\r\n\r\nYWJj\r\n'
qrun
