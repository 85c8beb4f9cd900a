# quoted-printable as sendmail writes it: 8-bit bytes, "=", control
# characters and trailing white space encoded; lines broken after 73
# characters with a soft break, encoded bytes kept whole; specials,
# leading dots and "From " left alone
sink -8
a() { head -c "$1" /dev/zero | tr '\0' a; }
{
	printf 'Subject: qp\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n'
	printf 'Content-Transfer-Encoding: 8bit\n\n'
	printf 'caf\xc3\xa9 line=x\nsecond \nthird\t\n.dot\nFrom me\n'
	printf '%s\n' 'specials !"#$@[\]^`{|}~ end' '=' '' ' ' '  ' 'tab	x' '..'
	printf 'x\001y\177z\r\n'
	for n in 71 72 73 74 75 146 147 148; do a $n; echo; done
	for n in 69 70 71 72 73 74; do a $n; printf '\xc3\xa9\n'; done
	for n in 71 72 73; do a $n; printf ' \n'; a $n; printf '\t\n'; done
	a 200; printf '\xc3\xa9'; a 30; printf '\n'
	printf 'last line without newline \xe9'
} | send
