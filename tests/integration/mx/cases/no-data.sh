# Transactions that end without DATA (QUIT, RSET, EHLO after RCPTs, a
# second MAIL refused while one is open, the end of input), each logged
# by sendmail 8.17.1 as a from= line with size=0 and the recipients
# accepted, under the queue ID the transaction got at MAIL: its policy
# refusals (check_mail at MAIL, check_rcpt, discards) carry that ID, a
# refused MAIL keeps it for the next one, and a message taken by DATA
# keeps it in the queue, logged stat=queued with -odq (rules added to
# Debian's sendmail.cf)
cp /etc/mail/sendmail.cf /etc/mail/nodata.cf
sed -i '/^SLocal_check_rcpt$/a R$* bad $*\t$#error $@ 5.7.1 $: "550 bad rcpt"\nR$* disc $*\t$#discard $: x' /etc/mail/nodata.cf
printf 'Scheck_mail\nR$* badfrom $*\t$#error $@ 5.7.1 $: "550 bad sender"\n' >> /etc/mail/nodata.cf
session() {
	{ sleep 1.3; while read -r c; do
		sleep 0.3
		printf '%s\r\n' "$c"
	done; } | $SM -bs -Am -odq -C /etc/mail/nodata.cf 2>&1 | grep -v '^250-' |
		sed 's/ at .*$/ at DATE/; s/oracle.example.org Hello .*,/oracle.example.org Hello CLIENT,/'
}
session <<'S'
EHLO client.test
MAIL FROM:<root@oracle.example.org>
RCPT TO:<u@plain.test>
QUIT
S
session <<'S'
EHLO client.test
MAIL FROM:<badfrom@x.test>
MAIL FROM:<root@oracle.example.org>
MAIL FROM:<root@oracle.example.org>
RCPT TO:<bad@x.test>
RCPT TO:<u@plain.test>
RCPT TO:<disc@plain.test>
RSET
MAIL FROM:<root@oracle.example.org>
RSET
MAIL FROM:<root@oracle.example.org>
RCPT TO:<v@plain.test>
EHLO client.test
MAIL FROM:<root@oracle.example.org>
RCPT TO:<bad@x.test>
RCPT TO:<u@plain.test>
DATA
Subject: n1

body
.
MAIL FROM:<root@oracle.example.org>
RCPT TO:<bad@x.test>
RCPT TO:<w@plain.test>
S
queue
