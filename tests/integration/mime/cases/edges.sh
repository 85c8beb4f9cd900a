# edges of the MIME walk: a base64 part filling its last line exactly
# inside a multipart, a quoted-printable one ending on a full line,
# boundary lines with trailing white space, a nested multipart left open
# inside a closed one, an empty 8-bit part, a part header block cut by a
# boundary, an 8-bit preamble and epilogue
sink -8
e() { head -c "$1" /dev/zero | tr '\0' '\351'; }
a() { head -c "$1" /dev/zero | tr '\0' a; }
{
	printf 'Subject: exact\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n'
	e 54; printf '\n--b\n\n'; e 53; printf '\n--b \n\n'; a 72; printf '\xe9\n--b--  \n'
} | send
{
	printf 'Subject: open inner\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=o\n\n'
	printf 'pre \xe9amble\n--o\nContent-Type: multipart/mixed; boundary=i\n\n--i\n\nx\xe9 inner text long enough\n'
	printf -- '--o\nContent-Type: text/plain\n\n\n--o\n--o\n\ny\xe9 text after the part cut short\n--o--\nepi\xe9logue\n'
} | send
# a soft break can start a line with a boundary's "--B" (sendmail's too)
{ printf 'Subject: soft\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n'; a 73; printf -- '--b\xe9\n--b--\n'; } | send
