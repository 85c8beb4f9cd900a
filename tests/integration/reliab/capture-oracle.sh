#!/bin/bash
# capture-oracle.sh RELAY_CF SINK_CACHE: what sendmail 8.17.1 does in the
# reliab cases, recorded in expected/ (run by hand as root, with
# ../../../../shared/tools/sendmail-oracle; SENDMAIL_ORACLE overrides).
# RELAY_CF is the tests' configuration (build/tests/integration/reliab/
# relay.cf), SINK_CACHE where the smtp-sink test unpacked Postfix
# (build/smtp-sink-cache).
#
# expected/unreachable-dsn.txt, for reliab-unreachable: the oracle runs
# RELAY_CF (sdmail's default .mc and the smart host) with smtp-sink on
# 127.0.0.1:2526, the same mailertable route to 127.0.0.2 where nothing
# listens, queue runs every 2 s and Timeout.queuereturn=6s; the DSN the
# sink gets, normalized by ../normalize.py.
#
# expected/disk-replies.txt, for reliab-fulldisk: what sendmail answers
# when its queue's file system is short of space.  Each case mounts a 96 KB tmpfs on
# the oracle's /var/spool/mqueue and talks to `sendmail -bD` over TCP
# (the same daemon code as sm-mta's sessions); the line written is the
# reply to the command the case is about:
#   mail-minfree       MAIL below MinFreeBlocks (no SIZE=)
#   mail-size-minfree  MAIL SIZE=100 below MinFreeBlocks
#   data-no-space      MinFreeBlocks=0, a 240 KB message: the df write fails
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
relay_cf=$(readlink -f "$1")
. "$here/../oracle-sink.sh"
oracle_sink_setup "$here" "$2" unreachable
work=$(mktemp -d)
trap 'rm -rf "$work" "$libs"' EXIT
cat >"$work/case.sh" <<'CASE'
#!/bin/bash
# case.sh MINFREEBLOCKS MAIL-PARAMS LINES: one session; prints every reply
mount -t tmpfs -o size=96k tmpfs /var/spool/mqueue
chmod 700 /var/spool/mqueue
/usr/sbin/sendmail -bD -O MinFreeBlocks=$1 -O DaemonPortOptions=Port=2500,Addr=127.0.0.1 &
sleep 1
exec 3<>/dev/tcp/127.0.0.1/2500
cat <&3 &
sleep 1.3 # greet_pause
printf 'EHLO client.example.com\r\n' >&3; sleep 0.3
printf 'MAIL From:<a@oracle.example.org>%s\r\n' "$2" >&3; sleep 0.3
printf 'RCPT To:<root@oracle.example.org>\r\n' >&3; sleep 0.3
printf 'DATA\r\n' >&3; sleep 0.3
{
	printf 'Subject: t\r\n\r\n'
	awk -v n="$3" 'BEGIN { for (i = 0; i < n; i++)
		printf "line %06d xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", i }'
	printf '.\r\n'
} >&3 2>/dev/null
sleep 0.5
printf 'QUIT\r\n' >&3 2>/dev/null
sleep 0.5
CASE
chmod 755 "$work/case.sh"
# one_case NAME MINFREE PARAMS LINES REPLY-TO: the reply after the command
one_case() {
	local out
	out=$("$oracle" shell --file "$work/case.sh:/case.sh" /case.sh "$2" "$3" "$4" 2>&1 | tr -d '\r')
	case $5 in
	MAIL) line=$(grep -A1 '^250 HELP$' <<<"$out" | sed -n 2p) ;;
	DATA) line=$(grep -A1 '^354 ' <<<"$out" | sed -n 2p) ;;
	esac
	printf '%s\t%s\n' "$1" "$line"
}
{
	echo "# sendmail 8.17.1 (Debian 12), captured by capture-oracle.sh"
	one_case mail-minfree 1000000 "" 1 MAIL
	one_case mail-size-minfree 1000000 " SIZE=100" 1 MAIL
	one_case data-no-space 0 "" 3000 DATA
} >"$here/expected/disk-replies.txt"
cat "$here/expected/disk-replies.txt"

cat >"$work/unreachable.sh" <<'CASE'
#!/bin/bash
# the unreachable case in the oracle: prints the DSN the sink got
set -u
# the domains resolve (the oracle's DNS lookups fail with a temporary error)
printf '127.0.0.3\tclient.test\n127.0.0.4\tdest.test\n127.0.0.5\tunreachable.test\n' >>/etc/hosts
printf 'unreachable.test\trelay:[127.0.0.2]\n' >/etc/mail/mailertable
for m in mailertable virtusertable genericstable; do
	touch /etc/mail/$m; makemap hash /etc/mail/$m </etc/mail/$m
done
# Debian gives the maps (makemap) and the queue to smmta, its TrustedUser; RELAY_CF has none
chown -R root /etc/mail /var/spool/mqueue
export LD_LIBRARY_PATH=/opt/pf/usr/lib/postfix:/opt/pflibs
mkdir -m 777 /tmp/dump
/opt/pf/usr/sbin/smtp-sink -u nobody -d /tmp/dump/%M. 127.0.0.1:2526 100 &
unset LD_LIBRARY_PATH
/usr/sbin/sendmail -bD -C /opt/relay.cf -q2s -O Timeout.queuereturn=6s &
sleep 1.5
exec 3<>/dev/tcp/127.0.0.1/25
cat <&3 >/dev/null &
for l in 'EHLO client.test' 'MAIL FROM:<sender@client.test>' 'RCPT TO:<nobody@unreachable.test>' \
	'RCPT TO:<somebody@dest.test>' 'DATA'; do
	printf '%s\r\n' "$l" >&3
	sleep 0.3
done
printf 'From: <sender@client.test>\r\nTo: <rcpt@dest.test>\r\nSubject: reliab u1\r\n' >&3
printf 'Message-Id: <u1@client.test>\r\nX-Reliab-Id: u1\r\n\r\nbody line\r\n.\r\nQUIT\r\n' >&3
for _ in $(seq 60); do
	grep -l '^X-Mail-Args: <>' /tmp/dump/* 2>/dev/null && break
	sleep 0.5
done >/dev/null
sleep 0.5
cat $(grep -l '^X-Mail-Args: <>' /tmp/dump/*)
CASE
chmod 755 "$work/unreachable.sh"
"$oracle" shell --file "$work/unreachable.sh:/opt/unreachable.sh" --file "$relay_cf:/opt/relay.cf" \
	--file "$sink:/opt/pf" --file "$libs:/opt/pflibs" /opt/unreachable.sh |
	python3 "$here/../normalize.py" >"$here/expected/unreachable-dsn.txt"
cat "$here/expected/unreachable-dsn.txt"
