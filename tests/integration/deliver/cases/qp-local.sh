# quoted-printable and base64 messages to a local user and to an alias's
# program and file (mailers with F=9: sendmail turns them into 8bit)
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' \
	'Subject: qp\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 cr=E8me=\r\n soft break and =3D sign\r\n'
qrun
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<filealias@oracle.example.org>\r\n' \
	'Subject: b64\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nQ2Fmw6kgY3LDqG1lCg==\r\n'
qrun
# the encoding header in the middle, upper case, text/html
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'MIME-Version: 1.0\r\nContent-Transfer-Encoding: QUOTED-PRINTABLE\r\nContent-Type: text/html; charset=utf-8\r\nSubject: html\r\n\r\n<p>=C3=A9t=C3=A9</p>=\r\n\r\nend=20\r\n'
qrun
# not text: stays as it is
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: bin\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC/w==\r\n'
qrun
# multipart with a quoted-printable part
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: multi\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XX"\r\n\r\npreamble\r\n--XX\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9\r\n--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC/w==\r\n--XX--\r\n'
qrun
# no MIME-Version: left alone
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: nomime\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9\r\n'
qrun
