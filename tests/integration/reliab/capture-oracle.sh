#!/bin/bash
# capture-oracle.sh: what sendmail 8.17.1 answers when its queue's file
# system is short of space, recorded in expected/disk-replies.txt for
# reliab-fulldisk.  Run by hand (root) with ../../../../shared/tools/
# sendmail-oracle (ORACLE overrides).  Each case mounts a 96 KB tmpfs on
# the oracle's /var/spool/mqueue and talks to `sendmail -bD` over TCP
# (the same daemon code as sm-mta's sessions); the line written is the
# reply to the command the case is about:
#   mail-minfree       MAIL below MinFreeBlocks (no SIZE=)
#   mail-size-minfree  MAIL SIZE=100 below MinFreeBlocks
#   data-no-space      MinFreeBlocks=0, a 240 KB message: the df write fails
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
oracle=${ORACLE:-$here/../../../../shared/tools/sendmail-oracle}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
