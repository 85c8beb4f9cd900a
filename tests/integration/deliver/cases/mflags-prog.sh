# F= flags of the prog mailer that shape what a program reads: X (an extra
# '.' before each line that begins with '.'), b (a blank line at the end,
# even after one), U ("remote from" a host, which needs a UUCP sender:
# none here, so nothing changes), 1 (NUL bytes left out: not by
# sendmail's prog mailer), 6 (headers in 7 bits), x (Full-Name: when $x
# is known); each run with the flags set on Mprog alone, its input
# printed with cat -A; then X and b on the *file* mailer and x on the
# local one
progflags() {
	sed -i "/^Mprog,/s/F=[^,]*/F=lsDFMoqeu9$1/" /etc/mail/sendmail.cf
	echo "--- Mprog F=lsDFMoqeu9$1"
}
showprog() {
	qrun
	echo "--- program's input"
	cat -A /tmp/prog.out | sed 's/^From \([^ ]*\) .* [0-9][0-9]:[0-9][0-9]:[0-9][0-9] [0-9]\{4\}/From \1 DATE/'
	rm -f /tmp/prog.out
}
msg='Subject: dots\r\n\r\n..one\r\n...two\r\nmid.dle\r\n..\r\nlast'
progflags X
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' "$msg\\r\\n"
showprog
progflags b
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' "$msg\\r\\n"
showprog
progflags b
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' "$msg\\r\\n\\r\\n"
showprog
progflags Xb
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' "$msg\\r\\n"
showprog
progflags U
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' "$msg\\r\\n"
showprog
progflags 1
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' 'Subject: nul\r\n\r\na\000b\r\n\000\r\n'
showprog
progflags ''
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' 'Subject: nul\r\n\r\na\000b\r\n\000\r\n'
showprog
# F=b with a message that has no body at all
progflags b
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' 'Subject: empty\r\n'
showprog
# F=X and F=b on the *file* mailer (an alias's file), defined in the cf
# with the built-in one's flags and these two
echo 'M*file*,	P=[FILE], F=lsDFMPEouq9Xb, T=X-Unix/X-Unix/X-Unix, A=FILE $u' >> /etc/mail/sendmail.cf
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<filealias@oracle.example.org>\r\n' "$msg\\r\\n"
qrun
# F=6: the headers stripped to 7 bits, the body left alone
progflags 6
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' 'Subject: caf\303\251\r\n\r\ncaf\303\251\r\n'
showprog
# F=x: a Full-Name: header ($x, the sender's full name, from the From:
# header's phrase here)
progflags x
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' 'From: Carol Example <carol@oracle.example.org>\r\nSubject: full name\r\n\r\nbody\r\n'
showprog
# ... and from the command line's -F, to the local mailer given F=x
sed -i '/^Mlocal,/s/F=/F=x/' /etc/mail/sendmail.cf
printf 'Subject: full name\n\nbody\n' | $SM -Am -odq -F 'Carol Example' -f carol@oracle.example.org alice
chown "$QUEUE_OWNER" /var/spool/mqueue/*
qrun
