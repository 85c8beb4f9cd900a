# lists with an owner- alias: their members' deliveries carry the owner as
# envelope sender (sendmail's "clone"), and a member that fails is reported
# to the owner, not to the sender; an owner of two addresses; a member that
# is deferred stays queued under the owner; a list without an owner
printf '%s\n' 'team: alice, bob, nosuchuser' 'owner-team: carol' 'plain: alice, nosuchuser' \
	'crew: alice, later' 'owner-crew: carol, bob' >> /etc/mail/aliases
$SM -bi > /dev/null
chmod 644 /etc/mail/aliases.db
smtp 'MAIL FROM:<bob@oracle.example.org>\r\nRCPT TO:<team@oracle.example.org>\r\n' \
	'Subject: to the team\r\n\r\nhello team\r\n'
qrun
smtp 'MAIL FROM:<bob@oracle.example.org>\r\nRCPT TO:<plain@oracle.example.org>\r\n' \
	'Subject: to the plain list\r\n\r\nhello\r\n'
qrun
smtp 'MAIL FROM:<alice@oracle.example.org>\r\nRCPT TO:<crew@oracle.example.org>\r\nRCPT TO:<bob@oracle.example.org>\r\n' \
	'Subject: to the crew\r\n\r\nhello crew\r\n'
qrun
queued
grep -v '^[TKI]' /var/spool/mqueue/qf*
qrun
queued
