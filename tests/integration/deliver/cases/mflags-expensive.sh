# F=e with HoldExpensive: a message delivered interactively (-odi) goes at
# once to the local mailer's recipient, while the prog mailer (F=e in the
# default cf) keeps its recipient in the queue for the next queue run;
# without HoldExpensive both go at once
smtp_odi() {
	( sleep 1.3; printf 'EHLO client.example.org\r\n'; sleep 0.4; printf "$1"; sleep 0.4
	  printf 'DATA\r\n'; sleep 0.4; printf "$2"; printf '.\r\nQUIT\r\n'; sleep 0.4 ) |
		$SM -bs -Am -odi > /tmp/smtp.$$ 2>&1 || cat /tmp/smtp.$$
	sleep 1
	chown "$QUEUE_OWNER" /var/spool/mqueue/* 2>/dev/null || true
}
echo 'O HoldExpensive=True' >> /etc/mail/sendmail.cf
smtp_odi 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' \
	'Subject: expensive\r\n\r\nheld for the queue run\r\n'
queued
echo "--- program's input before the queue run: $(cat /tmp/prog.out 2>/dev/null | wc -l) lines"
qrun
queued
sed -i '/^O HoldExpensive/d' /etc/mail/sendmail.cf
smtp_odi 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' \
	'Subject: not held\r\n\r\nat once\r\n'
queued
# from the command line, to the local mailer made expensive: held
# without -v; with -v, delivered at once all the same
sed -i '/^Mlocal,/s/F=/F=e/' /etc/mail/sendmail.cf
echo 'O HoldExpensive=True' >> /etc/mail/sendmail.cf
printf 'Subject: command line\n\nheld\n' | $SM -Am -odi -f carol@oracle.example.org alice 2>&1
chown "$QUEUE_OWNER" /var/spool/mqueue/* 2>/dev/null || true
queued
qrun
queued
printf 'Subject: verbose\n\nwatched\n' | $SM -Am -v -odi -f carol@oracle.example.org alice 2>&1
chown "$QUEUE_OWNER" /var/spool/mqueue/* 2>/dev/null || true
queued
# the local mailer's recipient held in an SMTP session
smtp_odi 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: smtp local\r\n\r\nheld\r\n'
queued
qrun
queued
# an alias's program, all the message holds: logged as the program
smtp_odi 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' \
	'Subject: smtp prog\r\n\r\nheld\r\n'
queued
qrun
queued
