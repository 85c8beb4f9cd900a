#!/bin/bash
# sdmail-inside.sh CASE...: the sdmail side of capture-oracle.sh's
# oracle-inside.sh, run by run.sh inside the golden sandbox (the oracle's
# host name and Debian /etc/mail) with a journald of its own
# (../log/journal.sh).  The server is sdmail's sm-mta ($SM_MTA) as
# mx.peer.test, with STARTTLS ($TLS/tls: ca.pem, srv.pem, srv.key) on
# 127.0.0.2 and without it (M=S) on 127.0.0.3; the client is sdmail's
# sendmail ($SM) with Debian's sendmail.cf, the same TLS files and
# LogLevel 14, the case's access map (cases/NAME.access) and options
# (cases/NAME.cf).  For each case one message goes with -v -odi to
# root@[127.0.0.2] (cases/NAME.rcpt: others); prints the -v transcript
# and the client's log lines (journal, syslog form), and at the end the
# Subject of each message the server queued.
set -u
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p /etc/mail/tls /etc/mail/other
cp "$TLS/tls/ca.pem" "$TLS/tls/srv.pem" "$TLS/tls/srv.key" /etc/mail/tls/
cp "$TLS/other/ca.pem" /etc/mail/other/
chmod 600 /etc/mail/tls/srv.key
tlsopts='O CACertPath=/etc/mail/tls
O CACertFile=/etc/mail/tls/ca.pem
O ServerCertFile=/etc/mail/tls/srv.pem
O ServerKeyFile=/etc/mail/tls/srv.key'
{ cat /etc/mail/sendmail.cf; echo "$tlsopts"; echo 'O LogLevel=14'; } >/etc/mail/client.cf
sed 's/Addr=127.0.0.1/Addr=127.0.0.2/' /etc/mail/sendmail.cf >/etc/mail/server.cf
{ echo "$tlsopts"; echo 'O LogLevel=14'; echo 'O QueueDirectory=/var/spool/mqueue-server'
  echo 'Djmx.peer.test'
  echo 'O DaemonPortOptions=Family=inet, Name=NOTLS, Port=smtp, M=S, Addr=127.0.0.3'; } >>/etc/mail/server.cf
mkdir -p /var/spool/mqueue-server
# the server's name, for root@[mx.peer.test]
printf '127.0.0.2\tmx.peer.test\n' >>/etc/hosts
chown -R smmta:smmta /var/spool/mqueue /var/spool/mqueue-server
: >/etc/mail/access
"$MAKEMAP" hash /etc/mail/access </etc/mail/access
for f in /etc/mail/*.db; do chown root:smmta "$f"; chmod 640 "$f"; done
chown smmta /etc/mail/tls/srv.key
"$SM_MTA" -bD -odq -C /etc/mail/server.cf -L sm-mta-server </dev/null >/tmp/server.err 2>&1 &
server=$!
for a in 127.0.0.2 127.0.0.3; do
	for _ in $(seq 100); do
		(exec 3<>/dev/tcp/$a/25) 2>/dev/null && break
		sleep 0.1
	done
done
sleep 0.5
for name in "$@"; do
	cp "$here/cases/$name.access" /etc/mail/access
	"$MAKEMAP" hash /etc/mail/access </etc/mail/access
	chown root:smmta /etc/mail/access.db
	chmod 640 /etc/mail/access.db
	cat /etc/mail/client.cf >/etc/mail/case.cf
	[ -f "$here/cases/$name.cf" ] && cat "$here/cases/$name.cf" >>/etc/mail/case.cf
	rcpt=('root@[127.0.0.2]')
	[ -f "$here/cases/$name.rcpt" ] && read -ra rcpt <"$here/cases/$name.rcpt"
	# cases/NAME.args: more options for sendmail
	args=()
	[ -f "$here/cases/$name.args" ] && read -ra args <"$here/cases/$name.args"
	journalctl --sync
	before=$(journalctl -o json SYSLOG_IDENTIFIER=sm-mta 2>/dev/null | wc -l)
	echo "=== $name: transcript"
	printf 'Subject: %s\n\nbody\n' "$name" |
		"$SM" -C /etc/mail/case.cf -L sm-mta -v -odi -f sender@oracle.example.org "${args[@]}" "${rcpt[@]}" 2>&1
	echo "exit $?"
	sleep 1
	journalctl --sync
	echo "=== $name: log"
	journalctl -o json SYSLOG_IDENTIFIER=sm-mta 2>/dev/null | tail -n +$((before + 1)) |
		/usr/bin/python3 "$here/../log/journal-to-log.py"
done
kill "$server"
wait "$server"
echo "=== server queue"
for f in /var/spool/mqueue-server/qf*; do
	[ -f "$f" ] && sed -n 's/^H??Subject: /queued: /p' "$f"
done
echo "=== server stderr"
cat /tmp/server.err
