# the bestmx map in -bt: the best MX host, and with -z every MX host
# (this host is in the list, its worse MXs too; equal preferences at random)
{ cat /etc/mail/sendmail.cf; printf 'Kbestmx bestmx\nKallmx bestmx -z:\nKmxsuffix bestmx -a.FOUND -z,\n'; } >/etc/mail/bestmx.cf
for m in bestmx allmx mxsuffix; do
	for h in mx.test order.test equal.test self.test selfbest.test selfmid.test plain.test \
		nosuch.test txtonly.test ghost.test onlyghost.test dual.test fbmx.test tempmx.test; do
		echo "/map $m $h"
	done
done | run $SM -bt -C /etc/mail/bestmx.cf
# FallbackMXhost is not part of the answer
printf '/map allmx mx.test\n/map allmx nosuch.test\n/map allmx txtonly.test\n' |
	run $SM -bt -C /etc/mail/bestmx.cf -O FallbackMXhost=fallback.test
