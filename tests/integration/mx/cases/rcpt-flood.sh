# BadRcptThrottle (2 here, Debian's cf says 3): once a transaction has
# that many refused recipients (policy refusals and unknown users alike),
# each further RCPT waits a second, and the first one that waits logs
# "Possible SMTP RCPT flood, throttling." under the transaction's queue
# ID; a new transaction counts from zero, and one that ends at the limit
# logs nothing; each refused address is logged ("... User unknown") too
cp /etc/mail/sendmail.cf /etc/mail/flood.cf
sed -i '/^SLocal_check_rcpt$/a R$* bad $*\t$#error $@ 5.7.1 $: "550 bad rcpt"' /etc/mail/flood.cf
{ sleep 1.3; for c in 'EHLO client.test' 'MAIL FROM:<root@oracle.example.org>' 'RCPT TO:<bad@x.test>' \
	'RCPT TO:<nosuchuser@oracle.example.org>' 'RCPT TO:<u@plain.test>' 'RCPT TO:<bad@x.test>' RSET \
	'MAIL FROM:<root@oracle.example.org>' 'RCPT TO:<bad@x.test>' 'RCPT TO:<bad@x.test>' RSET \
	'MAIL FROM:<root@oracle.example.org>' 'RCPT TO:<bad@x.test>' 'RCPT TO:<u@plain.test>' QUIT; do
	sleep 0.3
	printf '%s\r\n' "$c"
done; } | $SM -bs -Am -odq -C /etc/mail/flood.cf -OBadRcptThrottle=2 2>&1 | grep -v '^250-' |
	sed 's/ at .*$/ at DATE/; s/oracle.example.org Hello .*,/oracle.example.org Hello CLIENT,/'
