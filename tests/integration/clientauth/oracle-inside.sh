#!/bin/bash
# oracle-inside.sh CASE...: run inside ../../../../shared/tools/sendmail-oracle
# by capture-oracle.sh.  The oracle's sendmail.cf is the server (mx.peer.test,
# STARTTLS with /opt/tls, AUTH PLAIN LOGIN over a sasldb with alice/s3cret);
# client.cf (Debian's sendmail.mc + FEATURE(authinfo)) is the client under
# observation.  For each case (cases/NAME.authinfo is the authinfo map's
# text, cases/NAME.cf lines added to client.cf) one message goes with -v -odi to root@[127.0.0.2] (cases/NAME.rcpt: another
# recipient, such as root@[mx.peer.test]); prints the -v
# transcript and the client's log lines per case.  With SERVER=postfix the
# server is Postfix instead (postfix-peer.sh; then the Subjects of the
# messages it holds are printed at the end).
set -u
mkdir -p /usr/lib/sasl2 /etc/mail/tls /var/run/sendmail/mta
cp /opt/ca/Sendmail.conf /opt/ca/sasldb2 /usr/lib/sasl2/
chmod 600 /usr/lib/sasl2/sasldb2
cp -a /opt/plugins/. /usr/lib/x86_64-linux-gnu/sasl2/
cp /opt/tls/ca.pem /opt/tls/srv.pem /opt/tls/srv.key /etc/mail/tls/
chmod 600 /etc/mail/tls/srv.key
perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
while [ ! -S /dev/log ]; do sleep 0.1; done
tlsopts='O CACertPath=/etc/mail/tls
O CACertFile=/etc/mail/tls/ca.pem
O ServerCertFile=/etc/mail/tls/srv.pem
O ServerKeyFile=/etc/mail/tls/srv.key'
# the client: Debian's sendmail.mc with FEATURE(authinfo)
sed 's|^MAILER_DEFINITIONS|FEATURE(`authinfo'"'"')dnl\nMAILER_DEFINITIONS|' /etc/mail/sendmail.mc >/etc/mail/client.mc
grep -q authinfo /etc/mail/client.mc || { echo "no MAILER_DEFINITIONS in sendmail.mc" >&2; exit 1; }
m4 /etc/mail/client.mc >/etc/mail/client.cf
{ echo "$tlsopts"; echo 'O LogLevel=14'; } >>/etc/mail/client.cf
# the server, on every address: 127.0.0.2 is not one of the client's own
sed -i 's/Addr=127.0.0.1/Addr=0.0.0.0/' /etc/mail/sendmail.cf
{ echo "$tlsopts"; echo 'O LogLevel=14'; echo 'O AuthMechanisms=PLAIN LOGIN'; echo 'Djmx.peer.test'; } >>/etc/mail/sendmail.cf
ip link set lo up 2>/dev/null
# the server's name, for cases/NAME.rcpt's root@[mx.peer.test]
printf '127.0.0.2\tmx.peer.test\n' >>/etc/hosts
if [ "${SERVER:-sendmail}" = postfix ]; then
	# Postfix instead (/opt/pfroot, a copy of peer-mta's root; postfix-peer.sh)
	SASLDB=/opt/ca/sasldb2-postfix PLUGINS=/opt/plugins \
		bash /opt/postfix-peer.sh start /tmp/pf /opt/pfroot /opt/tls in-place || exit 1
else
	/usr/sbin/sendmail -bd -ODeliveryMode=queue -L sm-mta-server
	sleep 2
fi
for name in "$@"; do
	cp "/opt/cases/$name.authinfo" /etc/mail/authinfo
	# the case's own client options (cases/NAME.cf), after the common ones
	cat /etc/mail/client.cf >/etc/mail/case.cf
	[ -f "/opt/cases/$name.cf" ] && cat "/opt/cases/$name.cf" >>/etc/mail/case.cf
	# cases/NAME.postfix: a shell script changing the Postfix server first
	# ($PFLIVE is its root)
	if [ "${SERVER:-}" = postfix ] && [ -f "/opt/cases/$name.postfix" ]; then
		PFLIVE=/opt/pfroot bash "/opt/cases/$name.postfix"
	fi
	# the envelope sender: cases/NAME.from, else sender@oracle.example.org
	from=sender@oracle.example.org
	[ -f "/opt/cases/$name.from" ] && from=$(cat "/opt/cases/$name.from")
	makemap hash /etc/mail/authinfo </etc/mail/authinfo
	: >/tmp/syslog.txt
	# cases/NAME.rcpt: the recipient, else root@[127.0.0.2]
	rcpt='root@[127.0.0.2]'
	[ -f "/opt/cases/$name.rcpt" ] && rcpt=$(cat "/opt/cases/$name.rcpt")
	echo "=== $name: transcript"
	printf 'Subject: %s\n\nbody\n' "$name" |
		/usr/sbin/sendmail -C /etc/mail/case.cf -L sm-mta -v -odi -f "$from" "$rcpt" 2>&1
	echo "exit $?"
	sleep 1
	echo "=== $name: log"
	grep 'sm-mta\[' /tmp/syslog.txt | grep -v "engine=\|<23>\|safesasl\|sensible-mda\|poststats"
done
if [ "${SERVER:-sendmail}" = postfix ]; then
	echo "=== server queue"
	bash /opt/postfix-peer.sh held /tmp/pf
	bash /opt/postfix-peer.sh stop /tmp/pf
else
	kill "$(head -1 /var/run/sendmail/mta/sendmail.pid)"
	sleep 1
fi
kill $L
