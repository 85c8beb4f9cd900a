# the edges of sendmail's decoding for F=9 mailers: which types, which
# spellings of the headers, soft line breaks, bad escapes, foreign base64
m() {
	smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' "$1"
}
m 'Subject: html\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nx=C3=A9\r\n'
m 'Subject: enriched\r\nContent-Type: text/enriched\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8K\r\n'
m 'Subject: Text-Plain\r\nContent-Type: Text/Plain\r\nContent-Transfer-Encoding: QUOTED-PRINTABLE\r\n\r\ny=C3=A9\r\n'
m 'Subject: folded\r\nContent-Type: text/plain;\r\n\tcharset="utf-8"\r\nContent-Transfer-Encoding:\r\n quoted-printable\r\n\r\nz=C3=A9\r\n'
m 'Subject: encoding first\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/plain; charset=utf-8\r\nX-After: 1\r\n\r\ny=C3=A9\r\n'
m 'Subject: soft breaks\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nline one=\r\ncontinued=20=20\r\ntrailing spaces   \r\n<p>=c3=a9</p>=\r\n\r\nlast=\r\n'
m 'Subject: bad escapes\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nb=ZZ c\r\nnext=41 d=4\r\nFrom the end\r\n'
m 'Subject: foreign base64\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\naGVs!bG8K\r\nd29y bGQK\r\n'
m 'Subject: no type\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8gd29ybGQ=\r\n'
m 'Subject: 7bit\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nplain=E9\r\n'
qrun
