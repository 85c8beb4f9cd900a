#!/bin/bash
# deb-replace.sh SOURCE_DIR BUILD_DIR
#
# An administrator replaces Debian's sendmail with sdmail: boots the cached
# Debian 12 root (make-root.sh) with systemd as PID 1, installs Debian's
# sendmail 8.17 from the .debs the cache holds, leaves a message in its
# client queue (/var/spool/mqueue-client, MTA stopped), then installs the
# sdmail .deb with apt-get keeping the configuration files (as apt does
# without a terminal).  Checks: sendmail-bin and sendmail-base go, the
# alternatives sendmail-bin registered do not take sdmail's
# /usr/sbin/sendmail away, the smmsp/smmta users keep their ids, the
# waiting message moves to sdmail's client queue (Debian's sendmail-base
# deletes its generated submit.cf on removal, so sdmail's takes over), is
# listed by mailq and retried by sm-client.service, and no unit failed.
# Skips (77) where nspawn cannot boot.
set -u
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

deb_test deb-replace
boot || exit $?
ct useradd -m -s /bin/sh alice

step "Debian's sendmail, with a message waiting in its client queue"
out=$(ct sh -c 'DEBIAN_FRONTEND=noninteractive dpkg -i /opt/sendmail-debs/*.deb' 2>&1; echo "rc=$?")
expect "dpkg -i sendmail-bin sendmail-cf" "$out" 'Setting up sendmail-bin' '^rc=0$'
ids=$(ct getent passwd smmsp smmta | cut -d: -f1,3,4)
ct systemctl stop sendmail >/dev/null 2>&1
out=$(ct runuser -u alice -- sh -c 'printf "Subject: before\n\nx\n" |
	/usr/sbin/sendmail "bob@[127.0.0.1]"; echo rc=$?' 2>&1)
expect "sendmail 8.17 as alice queues" "$out" '^rc=0$'
qf=$(ct sh -c 'ls /var/spool/mqueue-client/qf*' 2>/dev/null | head -1)
qid=${qf##*/qf}
expect "the message is in Debian's client queue" "$qf" '^/var/spool/mqueue-client/qf'

step "apt-get install sdmail, keeping the configuration"
out=$(ct sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold /opt/sdmail.deb' 2>&1
	echo "rc=$?")
expect "apt-get replaces sendmail-bin and sendmail-base" "$out" \
	'^Removing sendmail-bin' '^Removing sendmail-base' 'Setting up sdmail' '^rc=0$'
expect "sendmail-cf stays for .mc rebuilds" "$(ct dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' \
	sendmail-cf sendmail-bin sendmail-base 2>&1)" '^ii +sendmail-cf$' '^rc +sendmail-bin$' '^rc +sendmail-base$'
expect "/usr/sbin/sendmail is sdmail's setgid file, no alternatives left" \
	"$(ct sh -c 'stat -c "%n %F %a %U %G" /usr/sbin/sendmail; update-alternatives --list sendmail-msp 2>&1;
		/usr/sbin/sendmail -d0.1 -bt </dev/null 2>&1 | head -1')" \
	'^/usr/sbin/sendmail regular file 2755 root smmsp$' 'no alternatives for sendmail-msp' \
	'^Version [0-9]'
expect "smmsp and smmta keep their ids" "$(ct getent passwd smmsp smmta | cut -d: -f1,3,4)" \
	"^$(head -1 <<<"$ids")$" "^$(tail -1 <<<"$ids")$"

step "the message waiting in Debian's client queue"
expect "the postinst moved it to /var/spool/clientmqueue" \
	"$(ct sh -c 'ls /var/spool/clientmqueue; ls -d /var/spool/mqueue-client 2>&1;
		stat -c "%U %G %a" /var/spool/clientmqueue/qf*')" \
	"^qf$qid$" "^df$qid$" 'mqueue-client.*No such file' '^smmsp smmsp 660$'
expect "mailq as alice lists the message of sendmail 8.17" "$(ct runuser -u alice -- mailq 2>&1)" \
	'/var/spool/clientmqueue \(1 request\)' "^$qid[*X]? " 'bob@\[127\.0\.0\.1\]'
qf=/var/spool/clientmqueue/qf$qid
tries=$(ct sed -n 's/^N//p' "$qf")
ct systemctl start sm-client.service
expect "sm-client.service retries it" \
	"N$(wait_tries "$qf" $((tries + 1)) 30) $(ct systemctl show -p Result --value sm-client.service)" \
	"^N$((tries + 1)) success$"
out=$(ct runuser -u alice -- sh -c 'printf "Subject: after\n\nx\n" |
	/usr/sbin/sendmail "bob@[127.0.0.1]"; echo rc=$?' 2>&1)
expect "a new submission through sdmail waits there too" \
	"$out $(ct sh -c 'ls /var/spool/clientmqueue/qf* | wc -l')" '^rc=0 2$'
expect "no failed units" "$(ct systemctl --failed --no-legend --plain 2>&1; echo end)" '^end$'
[ "$(ct systemctl --failed --no-legend --plain | grep -c .)" = 0 ] ||
	{ fail "failed units:"; ct systemctl --failed --no-legend --plain; }

shutdown_ct
finish
