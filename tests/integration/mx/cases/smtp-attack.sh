# Commands repeated in one session, as sendmail 8.17.1 counts them: HELO
# and EHLO together up to 3, VRFY and EXPN together up to 6, ETRN up to
# 8, NOOP and VERB together up to 20.  The command that reaches its limit
# logs "possible SMTP attack: command=NAME, count=N" (named after itself)
# and waits a second before its reply (the next one would wait two, then
# four...); RSET, HELP and MAIL are not counted.  Each session stops at
# the limit to keep the case short.  VRFY and EXPN are logged too.
session() {
	{ sleep 1.3; while read -r c; do
		case $c in SLEEP*) sleep "${c#SLEEP }"; continue ;; esac
		sleep 0.2
		printf '%s\r\n' "$c"
	done; sleep 1.5; } | $SM -bs -Am -odq 2>&1 | grep -v '^250-' | grep -v '^214-' |
		sed 's/ at .*$/ at DATE/; s/oracle.example.org Hello .*,/oracle.example.org Hello CLIENT,/'
}
repeat() { for _ in $(seq "$1"); do echo "$2"; done; }
# (a command sent before the waiting EHLO's reply is a protocol error)
{ echo 'EHLO client.test'; echo 'HELO client.test'; echo 'EHLO client.test'; echo 'SLEEP 1.5'; echo QUIT; } |
	session
{ echo 'EHLO client.test'; repeat 3 'VRFY root'; repeat 2 'EXPN root'; echo 'VRFY root'; echo QUIT; } | session
{ echo 'EHLO client.test'; repeat 8 'ETRN nothing.test'; echo QUIT; } | session
{ echo 'EHLO client.test'; repeat 12 NOOP; repeat 8 VERB; repeat 25 RSET; repeat 25 HELP; echo QUIT; } | session
{ echo 'EHLO client.test'; for _ in $(seq 12); do echo 'MAIL FROM:<root@oracle.example.org>'; echo RSET; done; echo QUIT; } | session
sleep 1
