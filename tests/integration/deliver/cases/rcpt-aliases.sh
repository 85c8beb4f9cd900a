# RCPT TO an alias is answered from the alias's name, not its expansion,
# unless the message is delivered interactively (-odi): with -odq, -odd
# and -odb the alias exists, so the RCPT is accepted, and what its
# expansion names (an unknown user, an :include: file that names one or
# cannot be opened, a .forward that names one) is found bad only when the
# message is delivered.  A plain unknown user is refused, except with
# -odd, where every local address waits for the queue run ("will queue",
# logged "stat=queued").  With -odi
# the expansion is answered for, as the error it met, "file: line N: "
# before an error in an :include: or .forward file, and a duplicate of a
# bad address is "Addressee unknown".  VERB asks for interactive
# delivery: the expansion is answered for, with its 050 notes.
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
sed 's/^O PrivacyOptions=.*/O PrivacyOptions=authwarnings/' /etc/mail/sendmail.cf >/etc/mail/verb.cf
# carol forwards to an unknown user
printf 'nosuchuser2\n' >/home/carol/.forward
chown carol:carol /home/carol/.forward
# session MODE DATA|QUIT|VERB RCPT... : one SMTP session with sendmail
# -bs -odMODE, as root, that ends with a message or without one, or that
# asks for VERB first (which the cf's noexpn forbids: verb.cf, the same
# cf with PrivacyOptions=authwarnings, then)
session() {
	local mode=$1 end=$2 r opt=
	shift 2
	[ "$end" = VERB ] && opt=-C/etc/mail/verb.cf
	echo "--- sendmail -bs -od$mode $opt"
	{
		echo 'EHLO client.example.org'
		[ "$end" = VERB ] && echo VERB
		echo 'MAIL FROM:<bob@oracle.example.org>'
		for r in "$@"; do echo "RCPT TO:<$r@oracle.example.org>"; done
		[ "$end" = DATA ] && printf 'DATA\nSubject: to %s\n\nbody\n.\n' "$mode"
		echo QUIT
	} | perl /opt/chat.pl -w 1.3 -- $SM -bs -Am -od"$mode" $opt
	echo "rc=$?"
	chown "$QUEUE_OWNER" /var/spool/mqueue/* 2>/dev/null
	return 0
}
all="ghost mixed chain incl noincl ghost2 carol nosuchuser alice"
session q DATA $all
session d DATA ghost nosuchuser alice
queued
# the entries' names hold the time: not compared
rm -f /var/spool/mqueue/*
session b QUIT $all
session i QUIT $all
# VERB: delivered interactively, so the expansion is answered for
session q VERB ghost mixed incl carol
