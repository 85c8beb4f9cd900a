# -h in LMTP mode; a user without a home directory.
lmtp 'LHLO x\r\nMAIL FROM:<s>\r\nRCPT TO:<alice>\r\nRCPT TO:<carol>\r\nDATA\r\nSubject: a\r\n\r\nbody\r\n.\r\nQUIT\r\n' -h inbox
cat -A /home/alice/inbox
