# ETRN through the check_etrn ruleset (a hand-written one appended to
# Debian's sendmail.cf): $#error with and without a DSN and a reply code,
# on a queue group argument too, before the queue group is looked up;
# $#discard lets the command go on; refusals are logged without a queue
# ID, and the accepted ETRN runs the queue for its host (after the
# greeting pause of Debian's cf, one command at a time)
sink 127.0.0.2
cp /etc/mail/sendmail.cf /etc/mail/etrn.cf
cat >>/etc/mail/etrn.cf <<'CF'
Scheck_etrn
Rbad.test	$#error $@ 4.7.1 $: "458 Not for you"
Rfoo.test	$#error $: 551 Go away foo
Rbare.test	$#error $: no code here
Rdsn.test	$#error $@ 5.7.2 $: plain text
R$-	$#error $@ 5.7.1 $: "550 one token"
Rdisc.test	$#discard $: x
CF
printf 'Subject: e1\n\nbody\n' | run $SM -Am -odq u@plain.test
queue
{ sleep 1.3; for c in 'EHLO client.test' 'ETRN bad.test' 'ETRN foo.test' 'ETRN bare.test' 'ETRN dsn.test' \
	'ETRN #nogroup' 'ETRN disc.test' 'ETRN plain.test' QUIT; do
	sleep 0.4
	printf '%s\r\n' "$c"
done; } | $SM -bs -Am -C /etc/mail/etrn.cf 2>&1 | grep -v '^250-' |
	sed 's/ at .*$/ at DATE/; s/oracle.example.org Hello .*,/oracle.example.org Hello CLIENT,/'
sleep 2 # the run is a child of the session
received
queue
