# A lock file older than five minutes that mail.local may remove is removed.
touch /var/mail/alice.lock; chown alice /var/mail/alice.lock
touch -d '10 minutes ago' /var/mail/alice.lock
printf 'Subject: a\n\nx\n' | run mail.local -f stale alice
dump
