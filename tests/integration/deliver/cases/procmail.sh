# FEATURE(`local_procmail'): the local mailer is procmail -d, called once
# per recipient (F=S without m or z).  sendmail runs it as root and procmail
# becomes the recipient; sdmail runs it as the recipient with no
# capability, which procmail -d accepts of a caller that is not root.  The
# mailboxes, owners and to= lines must be the same.
sed -i '/^Mlocal,/,/^\t\tA=/c\
Mlocal,\t\tP=/usr/bin/procmail, F=lsDFMAw5:/|@qSPfhn9, S=EnvFromL/HdrFromL, R=EnvToL/HdrToL,\
\t\tT=DNS/RFC822/X-Unix,\
\t\tA=procmail -a $h -d $u' /etc/mail/sendmail.cf
# the oracle's root has no procmail: Debian's, installed as Debian does
[ "$SIDE" = oracle ] && install -o root -g mail -m 6755 /opt/procmail /usr/bin/procmail
grep -A2 '^Mlocal' /etc/mail/sendmail.cf
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: one\r\n\r\nfor alice\r\nFrom the start\r\n'
qrun
# two recipients: two runs of procmail, each as its own user; a .forward's
# file and an alias's program beside them as before
smtp 'MAIL FROM:<alice@oracle.example.org>\r\nRCPT TO:<both@oracle.example.org>\r\nRCPT TO:<carol@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\n' \
	'Subject: three\r\n\r\nfor all of them\r\n'
qrun
queued
