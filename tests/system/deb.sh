#!/bin/bash
# deb.sh SOURCE_DIR BUILD_DIR
#
# The Debian package on a real systemd: builds the sdmail .deb from the
# source tree (dpkg-buildpackage), boots a cached Debian 12 root with
# systemd as PID 1 in systemd-nspawn (private network), installs the .deb
# with dpkg while systemd runs, and checks what an administrator would:
# users and directories from sysusers.d/tmpfiles.d, the setgid bit from
# dpkg-statoverride, the sm-client socket and timer, a submission by a
# normal user that stays in the client queue (no MTA yet), the poke that
# makes sm-client.service try it again at once, mailq, the runner's
# hardening score; the MTA (sendmail.service on its socket units: notify,
# smmta, SMTP into its queue, the client queue flushed to it, reload,
# a reload that rebuilds a changed access map, the message catalog in
# journalctl -x, stop); no process running as root, a reinstall, and a purge that keeps
# queued mail.  Skips (77) where nspawn cannot boot.
set -u
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

deb_test deb
if command -v lintian >/dev/null; then
	# debian/sdmail.lintian-overrides says why for each override
	out=$(lintian --fail-on error,warning "$W"/sdmail_*_amd64.changes 2>&1; echo "rc=$?")
	expect "lintian: no errors, no warnings" "$out" '^rc=0$'
fi
boot || exit $?

step "install with dpkg while systemd runs"
ct useradd -m -s /bin/sh alice
out=$(ct dpkg -i /opt/sdmail.deb 2>&1; echo "rc=$?")
expect "dpkg -i succeeds" "$out" 'Setting up sdmail' '^rc=0$'

step "users and directories"
expect "sysusers created smmsp and smmta" "$(ct getent passwd smmsp smmta)" \
	'^smmsp:x:[0-9]+:[0-9]+:.*:/usr/sbin/nologin$' '^smmta:x:[0-9]+:[0-9]+:.*:/usr/sbin/nologin$'
expect "tmpfiles created the queues" \
	"$(ct stat -c '%n %a %U %G' /var/spool/clientmqueue /var/spool/mqueue /run/sdmail)" \
	'^/var/spool/clientmqueue 2770 smmsp smmsp$' '^/var/spool/mqueue 700 smmta smmta$' \
	'^/run/sdmail 755 root root$'
expect "sendmail is setgid smmsp (dpkg-statoverride)" \
	"$(ct stat -c '%n %a %U %G' /usr/sbin/sendmail; ct dpkg-statoverride --list)" \
	'^/usr/sbin/sendmail 2755 root smmsp$' '^root smmsp 2755 /usr/sbin/sendmail$'
expect "the maps were built" "$(ct stat -c '%n %a %U %G' /etc/mail/access.db /etc/mail/mailertable.db)" \
	'^/etc/mail/access.db 640 smmta smmsp$' '^/etc/mail/mailertable.db 640 smmta smmsp$'
expect "/etc/aliases, and /etc/mail/aliases (sendmail.cf's AliasFile) linked to it" \
	"$(ct sh -c 'ls /etc/aliases; readlink /etc/mail/aliases')" '^/etc/aliases$' '^\.\./aliases$'
expect "newaliases (sendmail -bi) builds the aliases database" \
	"$(ct sh -c 'readlink /usr/bin/newaliases; newaliases; echo rc=$?; ls /etc/mail/aliases.db')" \
	'^\.\./sbin/sendmail$' '^rc=0$' '^/etc/mail/aliases\.db$'
expect "the socket and the timer are enabled and active" \
	"$(for u in sm-client.socket sm-client.timer; do
		echo "$u $(ct systemctl is-enabled $u) $(ct systemctl is-active $u)"; done)" \
	'^sm-client.socket enabled active$' '^sm-client.timer enabled active$'
expect "the poke socket is writable by smmsp only" \
	"$(ct stat -c '%n %a %U %G %F' /run/sdmail/sm-client.poke)" \
	'^/run/sdmail/sm-client.poke 660 smmsp smmsp socket$'

step "a normal user submits; no MTA listens, so the message waits"
# a literal address: the MSP relays it to [127.0.0.1] without DNS (the
# container has none), where nothing listens, so the message waits
out=$(ct runuser -u alice -- sh -c 'printf "To: bob@[127.0.0.1]\nSubject: system test\n\nhello\n" |
	/usr/sbin/sendmail -t; echo rc=$?' 2>&1)
expect "sendmail -t as alice exits 0" "$out" '^rc=0$'
qf=$(ct sh -c 'ls /var/spool/clientmqueue/qf*' 2>/dev/null | head -1)
qid=${qf##*/qf}
expect "the message is in the client queue" "$qf" '^/var/spool/clientmqueue/qf'
step "the poke starts sm-client.service, which tries it again as smmsp"
tries=$(wait_tries "$qf" 2 30)
expect "the runner tried it again at once (N line)" "N$tries" '^N([2-9]|[1-9][0-9])$'
expect "the timer did not fire: the poke did it" \
	"$(ct systemctl show -p LastTriggerUSecMonotonic sm-client.timer)" '^LastTriggerUSecMonotonic=0$'
expect "the runner rewrote the entry as smmsp" "$(ct stat -c '%U %G %a' "$qf")" '^smmsp smmsp 660$'
expect "sm-client.service ended cleanly" \
	"$(ct systemctl show -p Result -p ActiveState -p User sm-client.service)" \
	'^Result=success$' '^ActiveState=inactive$' '^User=smmsp$'

step "mailq shows it"
# a mark after the queue ID is sendmail's: * locked, X too expensive under
# the current load average (QueueLA)
expect "mailq as alice" "$(ct runuser -u alice -- mailq 2>&1)" \
	'^MSP Queue status\.\.\.$' "^$qid[*X]? +[0-9]+ " 'bob@\[127\.0\.0\.1\]' \
	'Deferred: Connection refused by \[127\.0\.0\.1\]' 'Total requests: 1'
expect "mailq as root" "$(ct mailq 2>&1)" "^$qid[*X]? " '^MTA Queue status\.\.\.$'

step "a manual run (the timer's backstop) tries it again"
ct systemctl start sm-client.service
expect "systemctl start sm-client: one more try, still clean" \
	"N$(wait_tries "$qf" $((tries + 1)) 30) $(ct systemctl is-failed sm-client.service)" \
	"^N$((tries + 1)) inactive$"
status=$(ct systemctl status sm-client.service sm-client.socket sm-client.timer 2>&1)
expect "systemctl status: nothing failed" "$status" 'sm-client.socket.*' 'Active: active \(listening\)'
if grep -Eq 'failed|Failed' <<<"$status"; then fail "systemctl status mentions a failure"; echo "$status"; fi
expect "the runner's exposure (systemd-analyze security)" \
	"$(ct systemd-analyze security sm-client.service 2>&1 | tail -1)" \
	'Overall exposure level for sm-client.service: (0\.[0-9]|1\.0) '

step "the MTA: sendmail.service on the socket units"
ct systemctl enable --now sendmail.socket sendmail-submission.socket >/dev/null 2>&1
ct systemctl start sendmail.service
expect "sendmail.service is up (Type=notify: READY=1 came) as smmta, with a status" \
	"$(ct systemctl show -p ActiveState -p SubState -p StatusText -p User sendmail.service)" \
	'^ActiveState=active$' '^SubState=running$' '^StatusText=accepting connections: 0 sessions' '^User=smmta$'
mainpid=$(ct systemctl show -p MainPID --value sendmail.service)
expect "sm-mta runs as smmta under sendmail's process title" \
	"$(ct ps -o user=,args= -p "$mainpid")" '^smmta +sendmail: accepting connections$'
expect "the sockets are the socket units' (passed, not bound by sm-mta)" \
	"$(for u in sendmail.socket sendmail-submission.socket; do
		echo "$u $(ct systemctl show -p SubState --value $u)"; done)" \
	'^sendmail.socket running$' '^sendmail-submission.socket running$'
smtp_out=$(nsenter -t "$L" -n /usr/bin/python3 -c '
import smtplib
c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
print("ehlo", c.ehlo()[0])
print("refused", c.sendmail("", ["alice@[127.0.0.1]"], "Subject: over SMTP\r\n\r\nhi\r\n"))
c.quit()
c = smtplib.SMTP("127.0.0.1", 587, local_hostname="client.example.com")
print("msa", c.ehlo()[0], b"ETRN" in c.ehlo_resp)
c.quit()' 2>&1)
expect "an SMTP client's message is taken; 587 is the MSA" "$smtp_out" \
	'^ehlo 250$' '^refused \{\}$' '^msa 250 False$'
# sm-mta delivers it at once (DeliveryMode background): mail.local -l (LMTP) as a
# child with CAP_SETUID/CAP_SETGID only, becoming alice to append
wait_for_mail() {
	for _ in $(seq 50); do ct grep -q "^Subject: $1\$" /var/mail/alice 2>/dev/null && break; sleep 0.2; done
}
wait_for_mail "over SMTP"
expect "it is delivered to /var/mail/alice, hers, mode 600, in mbox form" \
	"$(ct sh -c 'stat -c "%U %G %a" /var/mail/alice; grep -E "^(From |Subject: |Return-Path: )" /var/mail/alice')" \
	'^alice alice 600$' '^From MAILER-DAEMON ' '^Return-Path: <>$' '^Subject: over SMTP$'
expect "the MTA's to= line: local mailer, Sent" \
	"$(ct journalctl -o cat SDMAIL_EVENT=to 2>&1)" \
	'^[A-Za-z0-9]{14}: to=<alice@\[127\.0\.0\.1\]>, .*mailer=local, pri=[0-9]+, relay=local, dsn=2\.[0-9]\.[0-9], stat=Sent'
expect "the MTA queue is empty again" "$(ct sh -c 'ls /var/spool/mqueue | grep -c ^qf')" '^0$'
expect "sm-mta's effective capabilities are the unit's: NET_BIND_SERVICE, SETUID, SETGID" \
	"$(ct grep -E '^Cap(Eff|Bnd|Amb):' /proc/$mainpid/status)" \
	'^CapEff:	00000000000004c0$' '^CapBnd:	00000000000004c0$' '^CapAmb:	00000000000004c0$'
step "a new submission now reaches the MTA through the client queue"
# the waiting message stays for the later steps: set aside meanwhile
ct sh -c "mkdir -p /root/held && mv /var/spool/clientmqueue/[qd]f$qid /root/held/"
ct runuser -u alice -- sh -c 'printf "To: alice@[127.0.0.1]\nMessage-Id: <deb-system-test@example.com>\nSubject: via the MTA\n\nhello\n" |
	/usr/sbin/sendmail -t' >/dev/null 2>&1
ct systemctl start sm-client.service
for _ in $(seq 50); do ct sh -c 'ls /var/spool/clientmqueue/qf*' >/dev/null 2>&1 || break; sleep 0.2; done
wait_for_mail "via the MTA"
expect "echo ... | sendmail -t as alice: through the MTA into /var/mail/alice" \
	"$(ct sh -c 'ls /var/spool/clientmqueue | grep -c ^qf; grep -E "^(From |Subject: )" /var/mail/alice')" \
	'^0$' '^From alice@[^ ]+ ' '^Subject: via the MTA$'
expect "mailtrace follows it from the MSP through the MTA to the mailbox" \
	"$(ct mailtrace '<deb-system-test@example.com>' 2>&1)" \
	'sendmail\[[0-9]+\]: [A-Za-z0-9]{14}: from=alice, .*msgid=<deb-system-test@example.com>' \
	'sendmail\[[0-9]+\]: [A-Za-z0-9]{14}: to=alice@\[127\.0\.0\.1\], .*stat=Sent \([A-Za-z0-9]{14} Message accepted for delivery\)' \
	'sendmail\[[0-9]+\]: [A-Za-z0-9]{14}: to=<alice@\[127\.0\.0\.1\]>, .*mailer=local, .*stat=Sent'
step "the journal's message catalog explains the MTA's entries"
expect "journalctl -x: the from= line of the SMTP message, explained" \
	"$(ct env LC_ALL=C journalctl -x -o short MESSAGE_ID=afda8d759f0f4c5cbebbf5ef02d2fb3f 2>&1)" \
	': from=<>, size=[0-9]+, .*proto=ESMTP, daemon=MTA, ' \
	'^-- Subject: Mail [A-Za-z0-9]{14} accepted from <>$' '^-- Defined-By: sdmail$'
step "reload and stop"
# a new access rule: the reload rebuilds access.db (sdmail-rebuild-config)
# before the SIGHUP, and sm-mta applies it (at RCPT: FEATURE(delay_checks))
ct sh -c 'touch -d "-1 min" /etc/mail/access.db; printf "From:spammer@example.com\tREJECT\n" >>/etc/mail/access'
out=$(ct systemctl reload sendmail.service 2>&1; echo "rc=$?")
expect "systemctl reload succeeds" "$out" '^rc=0$'
expect "systemctl reload: same process, still running" \
	"$(ct systemctl show -p MainPID --value sendmail.service) $(ct systemctl is-active sendmail.service)" \
	"^$mainpid active$"
expect "the reload rebuilt access.db, keeping smmta:smmsp 0640" \
	"$(ct journalctl -u sendmail.service -o cat | grep sdmail-rebuild-config;
		ct stat -c '%n %a %U %G' /etc/mail/access.db; ct makemap -u hash /etc/mail/access)" \
	'^sdmail-rebuild-config: rebuilt /etc/mail/access.db from /etc/mail/access$' \
	'^/etc/mail/access.db 640 smmta smmsp$' '^from:spammer@example.com	REJECT$'
expect "the new access rule is in force" "$(nsenter -t "$L" -n /usr/bin/python3 -c '
import smtplib
c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
c.ehlo()
print("mail", c.mail("spammer@example.com")[0])
print("rcpt", c.rcpt("alice@[127.0.0.1]"))
c.quit()' 2>&1)" "^rcpt \\(550, b'5\\.7\\.1 <alice@\\[127\\.0\\.0\\.1\\]>\\.\\.\\. Access denied'\\)$"
ct sh -c 'sed -i "/^From:spammer@example.com/d" /etc/mail/access'
expect "the MTA's exposure (systemd-analyze security)" \
	"$(ct systemd-analyze security sendmail.service 2>&1 | tail -1)" \
	'Overall exposure level for sendmail.service: ([0-2]\.[0-9]|3\.0) '
ct systemctl stop sendmail.service sendmail.socket sendmail-submission.socket
expect "systemctl stop: clean (STOPPING=1, drained)" \
	"$(ct systemctl show -p ActiveState -p Result sendmail.service)" '^ActiveState=inactive$' '^Result=success$'
ct sh -c 'rm -f /var/spool/mqueue/*'
ct sh -c "mv /root/held/[qd]f$qid /var/spool/clientmqueue/"

step "processes while the MTA hangs: none runs as root"
hang_mta start
ct runuser -u alice -- sh -c 'printf "Subject: hang\n\nx\n" | /usr/sbin/sendmail "carol@[127.0.0.1]"' \
	>/dev/null 2>&1 &
sub=$!
ct systemctl start --no-block sm-client.service
procs=$(wait_procs 2 20)
expect "a submitting and a running sendmail are seen" "$procs" \
	'^alice alice [a-z]+ smmsp sendmail$' '^smmsp smmsp smmsp smmsp sendmail$'
if awk '$1 == "root" || $2 == "root"' <<<"$procs" | grep -q .; then
	fail "a sendmail process runs as root:"; echo "$procs"
else
	ok "no sendmail process with uid or euid 0"
fi
expect "and none of them has a capability (CapEff 0)" \
	"$(ct sh -c 'for p in $(pgrep -x sendmail); do grep ^CapEff: /proc/$p/status; done | sort | uniq -c')" \
	'^ +[2-9] CapEff:	0000000000000000$'
hang_mta stop
wait $sub

step "a reinstall keeps the setgid bit"
ct dpkg -i /opt/sdmail.deb >/dev/null 2>&1
expect "after dpkg -i again" "$(ct stat -c '%a %U %G' /usr/sbin/sendmail)" '^2755 root smmsp$'

step "purge keeps queued mail"
ct systemctl start sm-client.service
before=$(ct sh -c 'ls /var/spool/clientmqueue' | sort)
out=$(ct dpkg --purge sdmail 2>&1; echo "rc=$?")
expect "dpkg --purge succeeds" "$out" '^rc=0$'
expect "the queued messages are still there" "$(ct sh -c 'ls /var/spool/clientmqueue' | sort)" \
	"^qf$qid$" "^df$qid$"
[ "$before" = "$(ct sh -c 'ls /var/spool/clientmqueue' | sort)" ] &&
	ok "the client queue is unchanged" || fail "the client queue changed on purge"
expect "the program, the override, the maps and the units are gone" \
	"$(ct sh -c 'ls /usr/sbin/sendmail /etc/mail/access.db /etc/mail/aliases /lib/systemd/system/sm-client.socket 2>&1;
		dpkg-statoverride --list /usr/sbin/sendmail; echo rc=$?; systemctl is-active sm-client.socket')" \
	'/usr/sbin/sendmail.*No such file' '/etc/mail/access.db.*No such file' \
	'/etc/mail/aliases.*No such file' \
	'sm-client.socket.*No such file' '^rc=1$' '^inactive$'
expect "the empty MTA queue was removed, the users stay" \
	"$(ct sh -c 'ls -d /var/spool/mqueue 2>&1; getent passwd smmsp >/dev/null && echo smmsp-kept')" \
	'No such file' '^smmsp-kept$'

shutdown_ct
finish
