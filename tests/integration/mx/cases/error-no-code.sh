# A policy ruleset's $#error whose text has no reply code: sendmail 8.17.1
# answers "553 5.3.0" whatever $@ says (a 4.x.x one too), here from
# Local_check_rcpt rules added to Debian's sendmail.cf (check_etrn does the
# same, etrn-check.sh)
sed '/^SLocal_check_rcpt$/a R$* bare $*\t$#error $: no code here\nR$* dsn $*\t$#error $@ 5.7.2 $: plain text\nR$* dsnf $*\t$#error $@ 4.7.2 $: temp text\nR$* coded $*\t$#error $@ 4.7.2 $: "452 coded text"' \
	/etc/mail/sendmail.cf > /etc/mail/nocode.cf
{ sleep 1.3; for c in 'EHLO client.test' 'MAIL FROM:<root@oracle.example.org>' 'RCPT TO:<bare@x.test>' \
	'RCPT TO:<dsn@x.test>' 'RCPT TO:<dsnf@x.test>' 'RCPT TO:<coded@x.test>' QUIT; do
	sleep 0.4
	printf '%s\r\n' "$c"
done; } | $SM -bs -Am -C /etc/mail/nocode.cf 2>&1 | grep -v '^250-' |
	sed 's/ at .*$/ at DATE/; s/oracle.example.org Hello .*,/oracle.example.org Hello CLIENT,/'
