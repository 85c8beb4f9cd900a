#!/bin/bash
# oracle-inside.sh CASE...: run inside ../../../../shared/tools/sendmail-oracle
# by capture-oracle.sh.  The oracle's sendmail.cf is the server too
# (mx.peer.test): on 127.0.0.2 with STARTTLS (/opt/tls), on 127.0.0.3
# without it (M=S).  The client is Debian's sendmail.cf with the same TLS
# files (it trusts the server's CA), LogLevel 14, and for each case
# cases/NAME.access as the access map and cases/NAME.cf's lines added.
# One message goes with -v -odi to root@[127.0.0.2] (cases/NAME.rcpt:
# another recipient); prints the -v transcript and the client's log lines.
set -u
mkdir -p /etc/mail/tls /etc/mail/other /var/run/sendmail/mta
cp /opt/tls/ca.pem /opt/tls/srv.pem /opt/tls/srv.key /etc/mail/tls/
cp /opt/other/ca.pem /etc/mail/other/
chmod 600 /etc/mail/tls/srv.key
perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
while [ ! -S /dev/log ]; do sleep 0.1; done
tlsopts='O CACertPath=/etc/mail/tls
O CACertFile=/etc/mail/tls/ca.pem
O ServerCertFile=/etc/mail/tls/srv.pem
O ServerKeyFile=/etc/mail/tls/srv.key'
{ cat /etc/mail/sendmail.cf; echo "$tlsopts"; echo 'O LogLevel=14'; } >/etc/mail/client.cf
sed -i 's/Addr=127.0.0.1/Addr=127.0.0.2/' /etc/mail/sendmail.cf
{ echo "$tlsopts"; echo 'O LogLevel=14'; echo 'Djmx.peer.test'
  echo 'O DaemonPortOptions=Family=inet, Name=NOTLS, Port=smtp, M=S, Addr=127.0.0.3'; } >>/etc/mail/sendmail.cf
: >/etc/mail/access
makemap hash /etc/mail/access </etc/mail/access
ip link set lo up 2>/dev/null
# the server's name, for root@[mx.peer.test]
printf '127.0.0.2\tmx.peer.test\n' >>/etc/hosts
/usr/sbin/sendmail -bd -ODeliveryMode=queue -L sm-mta-server
sleep 2
for name in "$@"; do
	cp "/opt/cases/$name.access" /etc/mail/access
	makemap hash /etc/mail/access </etc/mail/access
	cat /etc/mail/client.cf >/etc/mail/case.cf
	[ -f "/opt/cases/$name.cf" ] && cat "/opt/cases/$name.cf" >>/etc/mail/case.cf
	rcpt=('root@[127.0.0.2]')
	[ -f "/opt/cases/$name.rcpt" ] && read -ra rcpt <"/opt/cases/$name.rcpt"
	# cases/NAME.args: more options for sendmail
	args=()
	[ -f "/opt/cases/$name.args" ] && read -ra args <"/opt/cases/$name.args"
	: >/tmp/syslog.txt
	echo "=== $name: transcript"
	printf 'Subject: %s\n\nbody\n' "$name" |
		/usr/sbin/sendmail -C /etc/mail/case.cf -L sm-mta -v -odi -f sender@oracle.example.org "${args[@]}" "${rcpt[@]}" 2>&1
	echo "exit $?"
	sleep 1
	echo "=== $name: log"
	grep 'sm-mta\[' /tmp/syslog.txt | grep -v "engine=\|<23>\|safesasl\|sensible-mda\|poststats"
done
kill "$(head -1 /var/run/sendmail/mta/sendmail.pid)"
sleep 1
kill $L
