# Per-recipient failures after DATA.
touch /var/mail/.x; chown alice /var/mail/.x; ln /var/mail/.x /var/mail/alice
mkdir /var/mail/bob
touch /var/mail/carol; chown alice /var/mail/carol
lmtp 'LHLO x\r\nMAIL FROM:<s>\r\nRCPT TO:<alice>\r\nRCPT TO:<bob>\r\nRCPT TO:<carol>\r\nRCPT TO:<root>\r\nDATA\r\nSubject: a\r\n\r\nbody\r\n.\r\nQUIT\r\n'
rm -rf /var/mail/alice /var/mail/bob /var/mail/carol /var/mail/.x
ln -s /etc/passwd /var/mail/alice
mkfifo /var/mail/bob
lmtp 'LHLO x\r\nMAIL FROM:<s>\r\nRCPT TO:<alice>\r\nRCPT TO:<bob>\r\nRCPT TO:<carol>\r\nDATA\r\nSubject: a\r\n\r\nbody\r\n.\r\nQUIT\r\n'
dump
