# Mailboxes mail.local refuses: symbolic links, hard links, directories,
# FIFOs, files of another owner; a group/world-writable one is used.
ln -s /etc/passwd /var/mail/alice
ln -s /tmp/nonexistent /var/mail/bob
printf 'Subject: a\n\nx\n' | run mail.local -f s alice bob
ls /tmp/nonexistent 2>&1
rm /var/mail/alice /var/mail/bob
touch /var/mail/.x; chown alice /var/mail/.x; ln /var/mail/.x /var/mail/alice
mkdir /var/mail/bob
printf 'Subject: a\n\nx\n' | run mail.local -f s alice bob
rm /var/mail/alice /var/mail/.x; rmdir /var/mail/bob
mkfifo /var/mail/alice
touch /var/mail/bob; chown alice /var/mail/bob
printf 'Subject: a\n\nx\n' | run mail.local -f s alice bob
rm /var/mail/alice /var/mail/bob
touch /var/mail/alice; chown alice:mail /var/mail/alice; chmod 666 /var/mail/alice
printf 'Subject: a\n\nx\n' | run mail.local -f mode666 alice
dump
