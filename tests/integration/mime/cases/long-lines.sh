# lines longer than the esmtp mailer's L=990: an 8-bit part with one is
# still quoted-printable (its lines are short once encoded), a 7-bit part
# next to it is copied and its long line broken as the mailer's line
# limit says
sink -8
a() { head -c "$1" /dev/zero | tr '\0' a; }
{
	printf 'Subject: long\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n'
	a 1500; printf '\xe9\n'; a 20; printf '\n--b\n\n'; a 1500; printf '\n--b--\n'
} | send
