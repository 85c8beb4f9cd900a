#!/bin/bash
# sdmail-inside.sh CASE...: the sdmail side of capture-oracle.sh's
# oracle-inside.sh, run by run.sh inside the golden sandbox (the oracle's
# host name and Debian /etc/mail) with libsasl2 set up by
# ../auth/auth-drive.sh (alice / s3cret in a sasldb) and a journald of its
# own (../log/journal.sh).  The server is sdmail's sm-mta ($SM_MTA) as
# mx.peer.test on every address, with STARTTLS ($TLS: ca.pem, srv.pem,
# srv.key) and AUTH PLAIN LOGIN; the client is sdmail's sendmail ($SM)
# with client.cf (the oracle's m4 output of Debian's sendmail.mc +
# FEATURE(authinfo); cases/NAME.cf adds options).  For each case one message goes with -v -odi to
# root@[127.0.0.2] (not one of the client's own addresses; cases/NAME.rcpt:
# another, such as root@[mx.peer.test]); prints the -v
# transcript and the client's log lines (journal, syslog form), and at the
# end the Subject of each message the server queued.  With SERVER=postfix
# the server is Postfix instead ($PFROOT: peer-mta's root, overlaid in
# $PFDIR; postfix-peer.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p /etc/mail/tls
cp "$TLS/ca.pem" "$TLS/srv.pem" "$TLS/srv.key" /etc/mail/tls/
chmod 600 /etc/mail/tls/srv.key
tlsopts='O CACertPath=/etc/mail/tls
O CACertFile=/etc/mail/tls/ca.pem
O ServerCertFile=/etc/mail/tls/srv.pem
O ServerKeyFile=/etc/mail/tls/srv.key'
{ cat "$here/client.cf"; echo "$tlsopts"; echo 'O LogLevel=14'; } >/etc/mail/client.cf
# the server; its sasldb realm is the sandbox's host name
sed 's/Addr=127.0.0.1/Addr=0.0.0.0/' /etc/mail/sendmail.cf >/etc/mail/server.cf
{ echo "$tlsopts"; echo 'O LogLevel=14'; echo 'O AuthMechanisms=PLAIN LOGIN'
  echo 'O AuthRealm=oracle.example.org'; echo 'O QueueDirectory=/var/spool/mqueue-server'
  echo 'Djmx.peer.test'; } >>/etc/mail/server.cf
mkdir -p /var/spool/mqueue-server
# the server's name, for cases/NAME.rcpt's root@[mx.peer.test]
printf '127.0.0.2\tmx.peer.test\n' >>/etc/hosts
chown -R smmta:smmta /var/spool/mqueue /var/spool/mqueue-server
for f in /etc/mail/*.db; do chown root:smmta "$f"; chmod 640 "$f"; done
chmod 755 /usr/lib/sasl2
chown smmta /usr/lib/sasl2/sasldb2 /etc/mail/tls/srv.key
if [ "${SERVER:-sdmail}" = postfix ]; then
	# its own sasldb (realm mx.peer.test), not the one of auth-drive.sh
	SASLDB= bash "$here/postfix-peer.sh" start "$PFDIR" "$PFROOT" "$TLS" || exit 1
else
	"$SM_MTA" -bD -odq -C /etc/mail/server.cf -L sm-mta-server </dev/null >/tmp/server.err 2>&1 &
	server=$!
	for _ in $(seq 100); do
		(exec 3<>/dev/tcp/127.0.0.2/25) 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.5
fi
for name in "$@"; do
	cp "$here/cases/$name.authinfo" /etc/mail/authinfo
	# the case's own client options (cases/NAME.cf), after the common ones
	cat /etc/mail/client.cf >/etc/mail/case.cf
	[ -f "$here/cases/$name.cf" ] && cat "$here/cases/$name.cf" >>/etc/mail/case.cf
	# cases/NAME.postfix: a shell script changing the Postfix server first
	# ($PFLIVE is its root)
	if [ "${SERVER:-}" = postfix ] && [ -f "$here/cases/$name.postfix" ]; then
		PFLIVE=$PFDIR/root bash "$here/cases/$name.postfix"
	fi
	# the envelope sender: cases/NAME.from, else sender@oracle.example.org
	from=sender@oracle.example.org
	[ -f "$here/cases/$name.from" ] && from=$(cat "$here/cases/$name.from")
	"$MAKEMAP" hash /etc/mail/authinfo </etc/mail/authinfo
	journalctl --sync
	before=$(journalctl -o json SYSLOG_IDENTIFIER=sm-mta 2>/dev/null | wc -l)
	# cases/NAME.rcpt: the recipient, else root@[127.0.0.2]
	rcpt='root@[127.0.0.2]'
	[ -f "$here/cases/$name.rcpt" ] && rcpt=$(cat "$here/cases/$name.rcpt")
	echo "=== $name: transcript"
	printf 'Subject: %s\n\nbody\n' "$name" |
		"$SM" -C /etc/mail/case.cf -L sm-mta -v -odi -f "$from" "$rcpt" 2>&1
	echo "exit $?"
	sleep 1
	journalctl --sync
	echo "=== $name: log"
	journalctl -o json SYSLOG_IDENTIFIER=sm-mta 2>/dev/null | tail -n +$((before + 1)) |
		/usr/bin/python3 "$here/../log/journal-to-log.py"
done
if [ "${SERVER:-sdmail}" = postfix ]; then
	echo "=== server queue"
	bash "$here/postfix-peer.sh" held "$PFDIR"
	bash "$here/postfix-peer.sh" stop "$PFDIR"
	exit 0
fi
kill "$server"
wait "$server"
echo "=== server queue"
for f in /var/spool/mqueue-server/qf*; do
	[ -f "$f" ] && sed -n 's/^H??Subject: /queued: /p' "$f"
done
echo "=== server stderr"
cat /tmp/server.err
