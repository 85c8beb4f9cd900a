# the statistics file (here /etc/mail/statistics, given with -O): a message
# the esmtp mailer delivers to the better MX (a connection made), one
# deferred because every MX refuses (no connection), then mailstats
ms() {
	"${MAILSTATS:-/usr/libexec/sendmail/mailstats}" -f /etc/mail/statistics "$@" 2>&1 |
		sed -E 's/^Statistics from .*/Statistics from CTIME/; 1s/^[0-9]+ [0-9]+$/ITIME NOW/'
	echo "rc=${PIPESTATUS[0]}"
}
: > /etc/mail/statistics
sink 127.0.0.2
send u@mx.test -- -O StatusFile=/etc/mail/statistics
received
ms
nosinks
send v@mx.test -- -O StatusFile=/etc/mail/statistics
queue
ms -P
