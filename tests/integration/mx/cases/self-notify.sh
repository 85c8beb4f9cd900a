# the only MX host is this host, with Debian's aliases for postmaster and
# MAILER-DAEMON (postmaster's mail goes to a remote mailbox): sendmail's
# SYSERR makes the postmaster get the returned message too
printf '%s\n' 'postmaster: pm@plain.test' 'MAILER-DAEMON: postmaster' > /etc/mail/aliases
$SM -bi > /dev/null 2>&1
sink 127.0.0.2
send u@self.test -- -f sender@plain.test
received
queue
