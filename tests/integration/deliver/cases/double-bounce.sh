# double bounces, with Debian's aliases for postmaster and MAILER-DAEMON:
# a failed program's bounce to a sender that is no user here fails too and
# goes to the postmaster (alice); a message with the null sender that
# fails is returned to the postmaster at once
printf '%s\n' 'postmaster: alice' 'MAILER-DAEMON: postmaster' >> /etc/mail/aliases
$SM -bi > /dev/null
chmod 644 /etc/mail/aliases.db
smtp 'MAIL FROM:<ghost@oracle.example.org>\r\nRCPT TO:<nouser@oracle.example.org>\r\n' \
	'Subject: from a ghost\r\n\r\nbody\r\n'
qrun
queued
# the sender is no user and no alias here
smtp 'MAIL FROM:<nosuchuser@oracle.example.org>\r\nRCPT TO:<nouser@oracle.example.org>\r\n' \
	'Subject: from nobody known\r\n\r\nbody\r\n'
qrun
# one member of the sender's alias takes mail: the bounce goes to the sender
smtp 'MAIL FROM:<both@oracle.example.org>\r\nRCPT TO:<nouser@oracle.example.org>\r\n' \
	'Subject: from a list\r\n\r\nbody\r\n'
qrun
queued
smtp 'MAIL FROM:<>\r\nRCPT TO:<unknown@oracle.example.org>\r\n' \
	'Subject: a bounce that fails\r\n\r\nbody\r\n'
qrun
queued
