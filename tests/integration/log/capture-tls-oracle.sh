#!/bin/bash
# capture-tls-oracle.sh: what sendmail 8.17.1 logs when its MSP relays over
# STARTTLS to its own MTA (both in ../shared/tools/sendmail-oracle; the
# MTA's sendmail.cf gets a certtool-made certificate and LogLevel 14), into
# expected/tls-oracle.txt: the reference for tls.sh and for the
# STARTTLS=server line of lib/log's unit test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${SENDMAIL_ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf 'cn = "t CA"\nca\ncert_signing_key\nexpiration_days = 2\n' >"$t/ca.tmpl"
printf 'cn = "oracle.example.org"\ndns_name = "oracle.example.org"\nip_address = "127.0.0.1"\ntls_www_server\ntls_www_client\nsigning_key\nencryption_key\nexpiration_days = 2\n' >"$t/srv.tmpl"
certtool --generate-privkey --key-type=rsa --outfile "$t/ca.key" 2>/dev/null
certtool --generate-self-signed --load-privkey "$t/ca.key" --template "$t/ca.tmpl" --outfile "$t/ca.pem" 2>/dev/null
certtool --generate-privkey --key-type=rsa --outfile "$t/srv.key" 2>/dev/null
certtool --generate-certificate --load-privkey "$t/srv.key" --load-ca-certificate "$t/ca.pem" \
	--load-ca-privkey "$t/ca.key" --template "$t/srv.tmpl" --outfile "$t/srv.pem" 2>/dev/null
"$oracle" shell --file "$t:/opt/tls" --file "$here/syslog-listen.pl:/opt/listen.pl" bash -c '
	perl /opt/listen.pl /dev/log /tmp/syslog.txt & L=$!
	while [ ! -S /dev/log ]; do sleep 0.1; done
	mkdir -p /etc/mail/tls /var/run/sendmail/mta
	cp /opt/tls/ca.pem /opt/tls/srv.pem /opt/tls/srv.key /etc/mail/tls/
	chmod 600 /etc/mail/tls/srv.key
	sed -i "s|^#O CACertPath.*|O CACertPath=/etc/mail/tls|; s|^#O CACertFile.*|O CACertFile=/etc/mail/tls/ca.pem|; s|^#O ServerCertFile.*|O ServerCertFile=/etc/mail/tls/srv.pem|; s|^#O ServerKeyFile.*|O ServerKeyFile=/etc/mail/tls/srv.key|; s|^O LogLevel=.*|O LogLevel=14|" /etc/mail/sendmail.cf
	ip link set lo up 2>/dev/null
	/usr/sbin/sendmail -bd -q30m -L sm-mta
	sleep 2
	printf "Subject: tls\n\nb\n" | /usr/sbin/sendmail -odi root
	sleep 2
	kill $(head -1 /var/run/sendmail/mta/sendmail.pid)
	sleep 1
	kill $L
	grep -v "safesasl\|engine=\|<23>\|SYSERR\|sensible-mda\|poststats" /tmp/syslog.txt' |
	python3 "$here/normalize-log.py" >"$here/expected/tls-oracle.txt"
echo "captured tls-oracle"
