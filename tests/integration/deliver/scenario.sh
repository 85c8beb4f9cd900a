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
# exits with its argument's status after reading the message
printf '#!/bin/sh\ncat > /dev/null\necho "exit: $1"\nexit "$1"\n' > /etc/mail/smrsh/exitwith
# EX_TEMPFAIL the first time, then takes the message
printf '#!/bin/sh\nif [ ! -e /tmp/flaky.once ]; then : > /tmp/flaky.once; echo busy; exit 75; fi\ncat > /tmp/flaky.out\n' > /etc/mail/smrsh/flaky
chmod 755 /etc/mail/smrsh/*
mkdir -p -m 755 /etc/mail/nowrite
rm -f /etc/mail/aliases /etc/mail/aliases.db
printf '%s\n' 'progalias: "|savemsg"' 'filealias: /tmp/file.out' 'both: alice, bob' \
	'nouser: "|exitwith 67"' 'unknown: "|exitwith 1"' 'later: "|flaky"' 'ghost: nosuchuser' \
	'badfile: /etc/mail/nowrite/x' > /etc/mail/aliases
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
# how many entries the queue holds
queued() {
	echo "--- queued: $(ls /var/spool/mqueue | grep -c '^qf')"
}
qrun() {
	echo "--- queue run"
	$MTA $SM -q -v 2>&1
}
. /opt/case.sh
echo "--- left in the queue"
ls /var/spool/mqueue | sed 's/[0-9A-Za-x]\{8\}[0-9]\{6\}/ID/'
for f in /var/mail/alice /var/mail/bob /var/mail/carol /home/bob/fwd.mbox /tmp/file.out /tmp/prog.out \
	/tmp/flaky.out; do
	echo "--- $f"
	[ -e "$f" ] && stat -c '%U %G %a' "$f" && cat -A "$f"
done
