# perdaemon.sh SM-MTA: sm-mta with load limits of the MTA daemon's own
# (perdaemon.sed) at the loads 7, 4 and 1 of a file bind-mounted over
# /proc/loadavg, each with a daemon of its own, as capture-perdaemon.sh
# runs sendmail 8.17.1; prints what the clients saw (perdaemon-smtp.sh).
# Run in the golden sandbox with a standalone journald (run-perdaemon.sh).
set -u
sm_mta=$1
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/sm-mta-perdaemon.XXXXXX)
chmod 755 "$W"
sed -f "$here/perdaemon.sed" /etc/mail/sendmail.cf >"$W/perdaemon.cf"
chown smmta: /var/spool/mqueue
for f in /etc/mail/*.db; do chown root:smmta "$f" && chmod 640 "$f"; done
: >"$W/loadavg"
mount --bind "$W/loadavg" /proc/loadavg
for run in "7.00 25 587" "4.00 25:u@[127.0.0.2]" "1.00 25:v@[127.0.0.2]"; do
	set -- $run
	echo "=== load $1"
	echo "$1 1.00 1.00 1/100 1234" >"$W/loadavg"
	shift
	"$sm_mta" -bD -C "$W/perdaemon.cf" </dev/null &
	mta=$!
	sleep 2
	for p in "$@"; do bash "$here/perdaemon-smtp.sh" ${p/:/ } 2>&1; done
	sleep 2
	kill -TERM $mta
	wait $mta
done
umount /proc/loadavg
rm -rf "$W"
