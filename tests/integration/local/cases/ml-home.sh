# -h: the mailbox is a file in the user's home directory.
printf 'Subject: a\n\nx\n' | run mail.local -h mbox -f h alice
printf 'Subject: a\n\nx\n' | run mail.local -h mbox -f h2 alice
stat -c '%A %U %G %s %n' /home/alice/mbox
cat -A /home/alice/mbox
printf 'Subject: a\n\nx\n' | run mail.local -h box -f h carol
dump
