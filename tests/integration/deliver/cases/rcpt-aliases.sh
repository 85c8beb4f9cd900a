# RCPT TO an alias is answered from the alias's name, not its expansion,
# unless the message is delivered interactively (-odi): with -odq, -odd
# and -odb the alias exists, so the RCPT is accepted, and what its
# expansion names (an unknown user, an :include: file that names one or
# cannot be opened, a .forward that names one) is found bad only when the
# message is delivered.  A plain unknown user is refused (with -odd
# every local address waits for the queue run: not here, sdmail does not
# log those recipients' "stat=queued" lines yet).  With -odi
# the expansion is answered for, as the error it met, "file: line N: "
# before an error in an :include: or .forward file, and a duplicate of a
# bad address is "Addressee unknown".
cat >>/etc/mail/aliases <<'ALIASES'
mixed: alice, nosuchuser
chain: ghost
incl: :include:/etc/mail/incl.list
noincl: :include:/etc/mail/missing.list
ghost2: nosuch@oracle.example.org
ALIASES
printf 'nosuchuser3\n' >/etc/mail/incl.list
$SM -bi
chmod 644 /etc/mail/aliases.db
# carol forwards to an unknown user
printf 'nosuchuser2\n' >/home/carol/.forward
chown carol:carol /home/carol/.forward
# session MODE DATA|QUIT RCPT... : one SMTP session with sendmail -bs
# -odMODE, as root, that ends with a message or without one
session() {
	local mode=$1 end=$2 r
	shift 2
	echo "--- sendmail -bs -od$mode"
	{
		echo 'EHLO client.example.org'
		echo 'MAIL FROM:<bob@oracle.example.org>'
		for r in "$@"; do echo "RCPT TO:<$r@oracle.example.org>"; done
		[ "$end" = DATA ] && printf 'DATA\nSubject: to %s\n\nbody\n.\n' "$mode"
		echo QUIT
	} | perl /opt/chat.pl -w 1.3 -- $SM -bs -Am -od"$mode"
	echo "rc=$?"
	chown "$QUEUE_OWNER" /var/spool/mqueue/* 2>/dev/null
	return 0
}
all="ghost mixed chain incl noincl ghost2 carol nosuchuser alice"
session q DATA $all
queued
session b QUIT $all
session i QUIT $all
