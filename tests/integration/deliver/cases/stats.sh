# the statistics file (StatusFile) and mailstats: nothing is counted until
# the file exists; then intake per sender's mailer, deliveries per mailer
# (local, prog, *file*), a refused RCPT
# that no policy refused (not counted), a sender refused by check_mail
# (delay_checks: at RCPT), a discarded message; mailstats with each
# option (-p clears the file)
printf 'O StatusFile=/etc/mail/statistics\n' >> /etc/mail/sendmail.cf
rm -f /etc/mail/access.db
printf 'From:spammer@oracle.example.org\tDISCARD\n' > /etc/mail/access
$MAKEMAP hash /etc/mail/access < /etc/mail/access
chmod 644 /etc/mail/access.db
ms() {
	echo "--- mailstats $*"
	$MAILSTATS "$@" > /tmp/ms.out 2>&1
	echo "exit $?"
	# -p and -P begin with the start time and now, in seconds
	sed -E '1s/^[0-9]+ [0-9]+$/ITIME NOW/; s|^[^ :]*mailstats: |mailstats: |' /tmp/ms.out
}
# the session's replies too
smtp_shown() {
	( sleep 1.3; printf 'EHLO client.example.org\r\n'; sleep 0.4; printf "$1"; sleep 0.4
	  printf 'DATA\r\n'; sleep 0.4; printf "$2"; printf '.\r\nQUIT\r\n'; sleep 0.4 ) |
		$SM -bs -Am -odq 2>&1 | grep -v '^250-'
	chown "$QUEUE_OWNER" /var/spool/mqueue/*
}
ms -C /etc/mail/sendmail.cf
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: before\r\n\r\nnot counted\r\n'
qrun > /dev/null
: > /etc/mail/statistics
chown "$QUEUE_OWNER" /etc/mail/statistics
chmod 660 /etc/mail/statistics
ms
smtp_shown 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<nosuchuser@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\nRCPT TO:<filealias@oracle.example.org>\r\n' \
	'Subject: counted\r\n\r\nthe body\r\n'
smtp_shown 'MAIL FROM:<bob@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	"Subject: a bigger one\r\n\r\n$(printf 'x%.0s' $(seq 1 800))\r\n$(printf 'y%.0s' $(seq 1 800))\r\n$(printf 'z%.0s' $(seq 1 800))\r\n"
smtp_shown 'MAIL FROM:<someone@example.com>\r\nRCPT TO:<bob@oracle.example.org>\r\n' \
	'Subject: refused\r\n\r\nbody\r\n'
smtp_shown 'MAIL FROM:<spammer@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: discarded\r\n\r\nbody\r\n'
ms -P
qrun
ms
ms -o
ms -C /etc/mail/sendmail.cf -f /etc/mail/statistics
ms -P
ms -p
ms -p
ms -o -P
ms -f /etc/mail/nosuchfile
echo garbage > /tmp/garbage.st
ms -f /tmp/garbage.st
grep -v StatusFile /etc/mail/sendmail.cf > /tmp/nostat.cf
ms -C /tmp/nostat.cf
ms -x
ms extra
