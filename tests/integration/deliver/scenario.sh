# Sourced (bash, as root) by deliver-golden.sh in sendmail 8.17.1's root
# (SIDE=oracle) and in sdmail's sandbox (SIDE=sdmail), with the same
# sendmail.cf (sdmail's default, mail.local and smrsh at $LX):
# $SM the sendmail command, $MTA the prefix that runs the queue as the MTA
# runs (sdmail: smmta with CAP_SETUID/CAP_SETGID; sendmail: root).
# Prints the queue run's -v transcript and what was delivered where.
export TZ=UTC LC_ALL=C
umask 022
if [ "$SIDE" = oracle ]; then
	for u in alice:1001 bob:1002 carol:1003; do useradd -m -u "${u#*:}" "${u%:*}"; done
fi
sed -e "s|/usr/libexec/sdmail/|$LX/|g" /opt/sdmail.cf > /etc/mail/sendmail.cf
mkdir -p /etc/mail/smrsh
printf '#!/bin/sh\ncat > /tmp/prog.out\n' > /etc/mail/smrsh/savemsg
chmod 755 /etc/mail/smrsh/savemsg
rm -f /etc/mail/aliases /etc/mail/aliases.db
printf 'progalias: "|savemsg"\nfilealias: /tmp/file.out\nboth: alice, bob\n' > /etc/mail/aliases
printf '/home/bob/fwd.mbox\n' > /home/bob/.forward
chown bob:bob /home/bob/.forward
# Debian's /etc/mail belongs to smmta; its makemap wants root's
[ "$SIDE" = oracle ] && chown root /etc/mail /var/spool/mqueue
for m in virtusertable mailertable genericstable access; do
	[ -e /etc/mail/$m.db ] && continue
	touch /etc/mail/$m
	$MAKEMAP hash /etc/mail/$m < /etc/mail/$m
done
chmod 644 /etc/mail/*.db
$SM -bi
chmod 644 /etc/mail/aliases.db
rm -f /var/mail/*

# one message over SMTP into the queue (-odq), as root on both sides:
# smtp 'MAIL...RCPT...' 'MESSAGE'
smtp() {
	( sleep 1.3; printf 'EHLO client.example.org\r\n'; sleep 0.4; printf "$1"; sleep 0.4
	  printf 'DATA\r\n'; sleep 0.4; printf "$2"; printf '.\r\nQUIT\r\n'; sleep 0.4 ) |
		$SM -bs -Am -odq > /tmp/smtp.$$ 2>&1 || cat /tmp/smtp.$$
	chown "$QUEUE_OWNER" /var/spool/mqueue/*
}
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\nRCPT TO:<bob@oracle.example.org>\r\nRCPT TO:<progalias@oracle.example.org>\r\nRCPT TO:<filealias@oracle.example.org>\r\n' \
	'Subject: first\r\n\r\nthe body\r\n..line\r\n'
echo "--- queue run"
$MTA $SM -q -v 2>&1
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<both@oracle.example.org>\r\n' \
	'Subject: second\r\nTo: both@oracle.example.org\r\n\r\nsecond body\r\n'
echo "--- queue run"
$MTA $SM -q -v 2>&1
echo "--- left in the queue"
ls /var/spool/mqueue | sed 's/[0-9A-Za-x]\{8\}[0-9]\{6\}/ID/'
for f in /var/mail/alice /var/mail/bob /var/mail/carol /home/bob/fwd.mbox /tmp/file.out /tmp/prog.out; do
	echo "--- $f"
	[ -e "$f" ] && stat -c '%U %G %a' "$f" && cat -A "$f"
done
