# sdmail only (deliver-golden.sh check): sm-mta as systemd runs it — the
# smmta user holding CAP_SETUID/CAP_SETGID, its sockets passed by name —
# takes a message over SMTP and delivers it at once (DeliveryMode
# background) to a local user through mail.local -l and to an alias's program
# (then, with queue runs: a mailbox mail.local cannot lock is tried again)
# root's .forward runs its program as DefaultUser, never as root (sendmail
# runs it as root); /root is searchable here so that the daemon user reads it
mount -t tmpfs -o mode=755 tmpfs /root
# the statistics file, counted in by the daemon and its delivery child
printf 'O StatusFile=/etc/mail/statistics\n' >> /etc/mail/sendmail.cf
: > /etc/mail/statistics
chown smmta:smmta /etc/mail/statistics
printf '"|whoami"\n' > /root/.forward
printf '#!/bin/sh\ncat > /dev/null\nid -u > /tmp/whoami.out\n' > /etc/mail/smrsh/whoami
chmod 755 /etc/mail/smrsh/whoami
$MTA systemd-socket-activate -l 127.0.0.1:2525 -l 127.0.0.1:2587 --fdname=smtp:submission \
	"$SM_MTA" -bD >/tmp/sm-mta.out 2>&1 &
daemon=$!
sleep 0.5
/usr/bin/python3 - <<'PY'
import smtplib
s = smtplib.SMTP("127.0.0.1", 2525, timeout=30)
s.ehlo("client.example.org")
s.sendmail("carol@oracle.example.org", ["alice@oracle.example.org", "progalias@oracle.example.org",
                                       "root@oracle.example.org"],
           "Subject: over SMTP\r\n\r\nto sm-mta\r\n")
s.quit()
PY
for _ in $(seq 100); do
	[ -s /var/mail/alice ] && [ -s /tmp/prog.out ] && [ -s /tmp/whoami.out ] &&
		[ -z "$(ls /var/spool/mqueue)" ] && break
	sleep 0.1
done
kill "$daemon"
wait "$daemon"
echo "--- root's .forward program ran as uid $(cat /tmp/whoami.out)"
echo "--- sm-mta said"
cat /tmp/sm-mta.out
echo "--- statistics"
$MAILSTATS -P | sed 1d
# a mailbox mail.local cannot lock (a stale lock file it may not remove):
# LMTP's 451 defers the recipient; the next queue run delivers
touch -d '10 minutes ago' /var/mail/carol.lock
smtp 'MAIL FROM:<alice@oracle.example.org>\r\nRCPT TO:<carol@oracle.example.org>\r\n' \
	'Subject: locked out\r\n\r\nwait\r\n'
qrun
queued
rm /var/mail/carol.lock
qrun
queued
