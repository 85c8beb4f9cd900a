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
# journalctl -x; TLS and AUTH set up as an administrator does: certtool
# certificates, a saslpasswd2 user, sendmail.mc rebuilt by the reload,
# sendmail-smtps.socket and a restart, then 587 with STARTTLS and AUTH
# PLAIN, 465 with TLS, certificates verified by the client, delivered,
# the STARTTLS=server and AUTH=server lines in the journal; stop); no process running as root, a reinstall, and a purge that keeps
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

# submit.cf names a statistics file in the client queue: created, the MSP counts
ct install -o smmsp -g smmsp -m 660 /dev/null /var/spool/clientmqueue/sm-client.st

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
expect "hoststat and purgestat are sendmail -bh and -bH, with their man pages" \
	"$(ct sh -c 'hoststat; echo rc=$?; purgestat; echo rc=$?; ls /usr/share/man/man8/hoststat.8* /usr/share/man/man8/purgestat.8*')" \
	'^rc=0$' 'man8/hoststat\.8' 'man8/purgestat\.8'
expect "mailstats: the default configuration names no statistics file; an empty one prints zeros" \
	"$(ct sh -c 'mailstats; echo rc=$?; : >/tmp/st; mailstats -f /tmp/st; echo rc=$?; ls /usr/share/man/man8/mailstats.8*' 2>&1)" \
	'^mailstats: no statistics file located$' '^rc=72$' '^Statistics from ' \
	'^ T        0          0K        0          0K        0       0       0$' '^rc=0$' 'man8/mailstats\.8'

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
expect "the MTA reads the aliases database (root's, the daemon user's group, 0640)" \
	"$(ct stat -c '%U %G %a' /etc/mail/aliases.db; ct journalctl -u sendmail.service -o cat | grep -c 'aliases.db: Permission denied')" \
	'^root smmta 640$' '^0$'
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
expect "mailstats -c: the MSP counted alice's two messages (local sender) and one relayed to the MTA" \
	"$(ct mailstats -c 2>&1)" \
	'^ 3 +2 +2K +0 +0K +0 +0 +0  local$' '^ [0-9]+ +0 +0K +1 +1K +0 +0 +0  relay$' \
	'^ C +0 +1 +0$'
# (purge removes it, as the purge step below would see)
ct rm /var/spool/clientmqueue/sm-client.st
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

step "TLS and AUTH: 587 with STARTTLS and AUTH, 465 with TLS (issue 6)"
# as an administrator does it (sdmail(7), TLS AND AUTH): sendmail-cf (the
# .deb's Recommends, offline here), a test CA and a server certificate made
# with certtool, the key readable by smmta only, a sasldb user, and the
# settings in sendmail.mc
out=$(ct sh -c 'dpkg -i /opt/sendmail-debs/sendmail-cf_*.deb' 2>&1; echo "rc=$?")
expect "sendmail-cf installed" "$out" '^rc=0$'
ct sh -c 'set -e; mkdir -p /etc/mail/tls; cd /etc/mail/tls
	printf "cn = \"sdmail test CA\"\nca\ncert_signing_key\nexpiration_days = 30\n" >ca.tmpl
	printf "cn = \"sdmail-test.example.org\"\ndns_name = \"sdmail-test.example.org\"\nip_address = \"127.0.0.1\"\ntls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n" >sdmail.tmpl
	certtool --generate-privkey --key-type=ecdsa --outfile ca.key
	certtool --generate-self-signed --load-privkey ca.key --template ca.tmpl --outfile ca.crt
	(umask 077; certtool --generate-privkey --key-type=ecdsa --outfile sdmail.key)
	certtool --generate-certificate --load-privkey sdmail.key --load-ca-certificate ca.crt \
		--load-ca-privkey ca.key --template sdmail.tmpl --outfile sdmail.crt
	chown smmta:smmta sdmail.key; chmod 600 ca.key sdmail.key' >"$W/certtool.log" 2>&1
expect "certtool made the CA and the server certificate; the key is smmta's alone" \
	"$(ct stat -c '%n %a %U' /etc/mail/tls/ca.crt /etc/mail/tls/sdmail.crt /etc/mail/tls/sdmail.key 2>&1)" \
	'^/etc/mail/tls/ca.crt 644 root$' '^/etc/mail/tls/sdmail.crt 644 root$' '^/etc/mail/tls/sdmail.key 600 smmta$'
ct sh -c 'echo s3cret | saslpasswd2 -p -c -u sdmail-test.example.org alice &&
	chgrp smmta /etc/sasldb2 && chmod 640 /etc/sasldb2 &&
	mkdir -p /etc/sasl2 && printf "pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\n" >/etc/sasl2/Sendmail.conf'
expect "saslpasswd2: alice in /etc/sasldb2, readable by smmta" \
	"$(ct sh -c 'sasldblistusers2; stat -c "%n %a %U %G" /etc/sasldb2')" \
	'^alice@sdmail-test\.example\.org: userPassword$' '^/etc/sasldb2 640 root smmta$'
# before the MAILER lines, as sendmail.mc's own settings are; without
# no_default_msa the MSA entry would stay M=E (no AUTH required); LogLevel
# 10 for the AUTH=server line (sendmail logs it from 10 on)
ct sh -c 'cd /etc/mail && cat >tls-auth.m4 <<"EOF"
define(`confCACERT_PATH'"'"', `/etc/mail/tls'"'"')dnl
define(`confCACERT'"'"', `/etc/mail/tls/ca.crt'"'"')dnl
define(`confSERVER_CERT'"'"', `/etc/mail/tls/sdmail.crt'"'"')dnl
define(`confSERVER_KEY'"'"', `/etc/mail/tls/sdmail.key'"'"')dnl
define(`confAUTH_MECHANISMS'"'"', `PLAIN LOGIN'"'"')dnl
TRUST_AUTH_MECH(`PLAIN LOGIN'"'"')dnl
define(`confAUTH_OPTIONS'"'"', `A,p,y'"'"')dnl
define(`confLOG_LEVEL'"'"', `10'"'"')dnl
FEATURE(`no_default_msa'"'"')dnl
DAEMON_OPTIONS(`Name=MTA'"'"')dnl
DAEMON_OPTIONS(`Port=submission, Name=MSA, M=Ea'"'"')dnl
DAEMON_OPTIONS(`Port=smtps, Name=TLSMTA, M=s'"'"')dnl
EOF
	{ sed "/^MAILER(/,\$d" sendmail.mc; cat tls-auth.m4; sed -n "/^MAILER(/,\$p" sendmail.mc; } >sendmail.mc.new &&
	mv sendmail.mc.new sendmail.mc && rm tls-auth.m4'
out=$(ct systemctl reload sendmail.service 2>&1; echo "rc=$?")
expect "systemctl reload rebuilds sendmail.cf from sendmail.mc (m4, sendmail-cf)" \
	"$out
$(ct journalctl -u sendmail.service -o cat | grep 'rebuilt sendmail.cf';
		ct grep -E '^O (DaemonPortOptions|ServerCertFile|AuthMechanisms)=' /etc/mail/sendmail.cf)" \
	'^rc=0$' '^sdmail-rebuild-config: rebuilt sendmail.cf from sendmail.mc$' \
	'^O DaemonPortOptions=Port=submission, Name=MSA, M=Ea$' '^O DaemonPortOptions=Port=smtps, Name=TLSMTA, M=s$' \
	'^O ServerCertFile=/etc/mail/tls/sdmail.crt$' '^O AuthMechanisms=PLAIN LOGIN$'
# a socket unit is passed only when the service starts (systemd refuses to
# start one whose service runs), and the listeners keep the
# DaemonPortOptions they were opened with: stop, then start both
out=$(ct systemctl enable --now sendmail-smtps.socket 2>&1; echo "rc=$?";
	ct systemctl show -p SubState --value sendmail-smtps.socket)
expect "enable --now of the new socket while sendmail.service runs: enabled, not started" \
	"$out" 'Created symlink .*sendmail-smtps\.socket' '^rc=1$' '^dead$'
ct systemctl stop sendmail.service
ct systemctl start sendmail-smtps.socket sendmail.service
expect "after stop and start: three sockets passed, sendmail.service running" \
	"$(for u in sendmail.socket sendmail-submission.socket sendmail-smtps.socket sendmail.service; do
		echo "$u $(ct systemctl is-enabled $u) $(ct systemctl show -p SubState --value $u)"; done)" \
	'^sendmail.socket enabled running$' '^sendmail-submission.socket enabled running$' \
	'^sendmail-smtps.socket enabled running$' '^sendmail.service [a-z]+ running$'
ca=$(ct cat /etc/mail/tls/ca.crt)
tls_out=$(nsenter -t "$L" -n /usr/bin/python3 -c '
import smtplib, ssl, sys
ctx = ssl.create_default_context(cadata=sys.argv[1])
c = smtplib.SMTP("127.0.0.1", 587, local_hostname="client.example.com")
c.ehlo()
print("cleartext", "starttls" in c.esmtp_features, "auth" in c.esmtp_features)
print("mail without auth", c.mail("alice@example.com"))
print("starttls", c.starttls(context=ctx)[0], c.sock.version(), dict(x[0] for x in c.sock.getpeercert()["subject"])["commonName"])
c.ehlo()
print("auth offered", c.esmtp_features.get("auth"))
c.user, c.password = "alice", "wrong"
try:
    print("wrong", c.auth("PLAIN", c.auth_plain))
except smtplib.SMTPAuthenticationError as e:
    print("wrong", e.smtp_code, e.smtp_error.decode())
c.password = "s3cret"
print("right", c.auth("PLAIN", c.auth_plain)[0])
print("refused", c.sendmail("alice@example.com", ["alice@[127.0.0.1]"], "Subject: over 587\r\n\r\nhi\r\n"))
c.quit()
c = smtplib.SMTP_SSL("127.0.0.1", 465, local_hostname="client.example.com", context=ctx)
print("smtps", c.sock.version(), c.sock.getpeercert()["subjectAltName"])
print("ehlo 465", c.ehlo()[0], "starttls" in c.esmtp_features)
print("refused 465", c.sendmail("bob@[127.0.0.1]", ["alice@[127.0.0.1]"], "Subject: over 465\r\n\r\nhi\r\n"))
c.quit()' "$ca" 2>&1)
expect "587: STARTTLS (certificate verified), AUTH PLAIN (wrong 535, right 235), the message taken" "$tls_out" \
	'^cleartext True False$' "^mail without auth \\(530, b'5\\.7\\.0 Authentication required'\\)$" \
	'^starttls 220 TLSv1\.[23] sdmail-test\.example\.org$' '^auth offered +PLAIN LOGIN$' \
	'^wrong 535 5\.7\.0 authentication failed$' '^right 235$' '^refused \{\}$'
expect "465: TLS from the first byte (certificate verified), the message taken" "$tls_out" \
	"^smtps TLSv1\\.[23] \\(\\('DNS', 'sdmail-test\\.example\\.org'\\), \\('IP Address', '127\\.0\\.0\\.1'\\)\\)$" \
	'^ehlo 465 250 False$' '^refused 465 \{\}$'
wait_for_mail "over 587"
wait_for_mail "over 465"
expect "both are delivered to /var/mail/alice" \
	"$(ct grep -E '^Subject: over (587|465)$' /var/mail/alice)" '^Subject: over 587$' '^Subject: over 465$'
expect "the journal: STARTTLS=server, AUTH failure, AUTH=server, the MSA's and TLSMTA's from= lines" \
	"$(ct journalctl -u sendmail.service -o cat 2>&1)" \
	'STARTTLS=server, relay=.*127\.0\.0\.1.*, version=TLSv1\.[23], verify=[A-Z]+, cipher=[^,]+, bits=[0-9]+/[0-9]+$' \
	'AUTH failure \(PLAIN\): ' \
	'AUTH=server, relay=.*127\.0\.0\.1.*, authid=alice(@[^,]*)?, mech=PLAIN, bits=0$' \
	'from=<alice@example\.com>, .*proto=ESMTPSA, daemon=MSA, ' \
	'from=<bob@\[127\.0\.0\.1\]>, .*proto=ESMTPS, daemon=TLSMTA, '
step "FEATURE(local_procmail): procmail -d as the recipient"
# Debian's procmail (set-user-ID root, set-group-ID mail; the test root has
# none, the host's is the same bookworm package): under the unit's
# NoNewPrivileges sm-mta runs it as alice with no capability, and procmail
# -d takes a caller that is the recipient (as the daemon user it says
# "Insufficient privileges")
if [ -x /usr/bin/procmail ]; then
	install -o root -g mail -m 6755 /usr/bin/procmail "$R/usr/bin/procmail"
	cat >"$R/root/local-mailer.sh" <<'EOS'
cd /etc/mail
case $1 in
procmail) sed -i "s/^FEATURE(.local_lmtp.*/FEATURE(\`local_procmail')dnl/" sendmail.mc ;;
mail.local) sed -i "s|^FEATURE(.local_procmail.*|FEATURE(\`local_lmtp', \`/usr/libexec/sdmail/mail.local')dnl|" sendmail.mc ;;
esac
grep -E '^FEATURE\(.local_(lmtp|procmail)' sendmail.mc
EOS
	out=$(ct sh /root/local-mailer.sh procmail; ct systemctl reload sendmail.service 2>&1; echo "rc=$?"
		ct grep -A2 '^Mlocal' /etc/mail/sendmail.cf)
	expect "sendmail.mc with FEATURE(local_procmail), rebuilt by the reload" "$out" \
		"^FEATURE\\(\`local_procmail'\\)dnl$" '^rc=0$' '^Mlocal,.*P=/usr/bin/procmail, F=[^,]*S' \
		'A=procmail -a \$h -d \$u$'
	out=$(nsenter -t "$L" -n /usr/bin/python3 -c '
import smtplib
c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
print("refused", c.sendmail("bob@[127.0.0.1]", ["alice@[127.0.0.1]"], "Subject: via procmail\r\n\r\nhi\r\n"))
c.quit()' 2>&1)
	expect "the message is taken" "$out" '^refused \{\}$'
	wait_for_mail "via procmail"
	expect "procmail appended it to /var/mail/alice with bob's From_ line (-f from F=f)" \
		"$(ct sh -c 'stat -c "%U %a" /var/mail/alice; grep -E "^(>?From |Subject: )" /var/mail/alice | tail -2')" \
		'^alice 600$' '^From bob@[^ ]+  [A-Z]' '^Subject: via procmail$'
	expect "the to= line: local mailer, Sent" "$(ct journalctl -o cat SDMAIL_EVENT=to 2>&1 | tail -1)" \
		'to=<alice@\[127\.0\.0\.1\]>, .*mailer=local, .*dsn=2\.0\.0, stat=Sent$'
	out=$(ct sh /root/local-mailer.sh mail.local; ct systemctl reload sendmail.service 2>&1; echo "rc=$?")
	expect "back to mail.local" "$out" "^FEATURE\\(\`local_lmtp'" '^rc=0$'
else
	echo "SKIP: procmail steps (no /usr/bin/procmail on the host)"
fi
expect "the MTA's exposure (systemd-analyze security)" \
	"$(ct systemd-analyze security sendmail.service 2>&1 | tail -1)" \
	'Overall exposure level for sendmail.service: ([0-2]\.[0-9]|3\.0) '
ct systemctl stop sendmail.service sendmail.socket sendmail-submission.socket sendmail-smtps.socket
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
