# An alias's members each have their own result: an alias of a good and
# an unknown user delivers to the one and bounces the other (the DSN
# names the member, "expanded from" the alias), an alias whose whole
# expansion fails is bounced naming the failed member, an address both
# given and named by an alias is delivered once ("duplicate suppressed"),
# and an alias with a member that is deferred keeps only that member in
# the queue (the qf shown without its times).
cat >>/etc/mail/aliases <<'ALIASES'
mixed: alice, nosuchuser
chain: ghost
mixlater: alice, "|flaky"
ALIASES
$SM -bi
chmod 644 /etc/mail/aliases.db
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<mixed@oracle.example.org>\r\n' \
	'Subject: mixed\r\n\r\nto mixed\r\n'
qrun
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<chain@oracle.example.org>\r\n' \
	'Subject: chain\r\n\r\nto chain\r\n'
qrun
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<mixed@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: twice\r\n\r\nto mixed and alice\r\n'
qrun
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<mixlater@oracle.example.org>\r\n' \
	'Subject: later\r\n\r\nto mixlater\r\n'
qrun
queued
echo "--- the queue file"
grep -Ev '^(T|K|N|P|I|\$_|\$r|\$s|H)' /var/spool/mqueue/qf* 2>/dev/null || true
qrun
queued
