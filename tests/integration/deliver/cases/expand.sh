# An alias's members each have their own result: an alias of a good and
# an unknown user delivers to the one and bounces the other (the DSN
# names the member, "expanded from" the alias), an alias whose whole
# expansion fails is bounced naming the failed member, an address both
# given and named by an alias is delivered once ("duplicate suppressed"),
# an alias with a member that is deferred keeps only that member in the
# queue (the qf shown without its times: R line flag A, the alias's C
# line), and so does a .forward (its user's C line and ids, which the
# program runs with when the queued member is read back; it then fails,
# /tmp/flaky.out being the earlier program's, and is bounced).
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
# QueueLA: no "X" (too expensive at this load) mark on a busy machine
echo "--- mailq"
$SM -bp -OQueueLA=1000 2>&1 | sed -E 's/[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9]{2}:[0-9]{2}/DATE/'
qrun
queued
# the same through a .forward: the deferred program stays queued with
# the C line of the user whose .forward named it
rm -f /tmp/flaky.once
printf '"|flaky"\n' >/home/alice/.forward
chown alice:alice /home/alice/.forward
smtp 'MAIL FROM:<carol@oracle.example.org>\r\nRCPT TO:<alice@oracle.example.org>\r\n' \
	'Subject: forwarded\r\n\r\nto alice\r\n'
qrun
queued
echo "--- the queue file"
grep -Ev '^(T|K|N|P|I|\$_|\$r|\$s|H)' /var/spool/mqueue/qf* 2>/dev/null || true
# QueueLA: no "X" (too expensive at this load) mark on a busy machine
echo "--- mailq"
$SM -bp -OQueueLA=1000 2>&1 | sed -E 's/[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9]{2}:[0-9]{2}/DATE/'
qrun
queued
