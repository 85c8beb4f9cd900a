# A stale lock file that mail.local cannot remove (another owner, sticky directory).
touch /var/mail/alice.lock; touch -d '10 minutes ago' /var/mail/alice.lock
printf 'Subject: a\n\nx\n' | run mail.local -f stale alice
printf 'LHLO x\r\nMAIL FROM:<s>\r\nRCPT TO:<alice>\r\nDATA\r\nSubject: x\r\n\r\nb\r\n.\r\nQUIT\r\n' | mail.local -l; echo "rc=$?"
ls -A /var/mail
