# the sendmail command as the MTA (-Am) expands aliases and .forward files
# when it queues (-odq): each member is written with its qf C line (the
# controlling user: the local user itself, the .forward's user, or the
# alias with DefaultUser's uid), so that the queue run delivers programs
# and files as the expansion's members, not as command-line addresses
printf 'Subject: members\n\nfrom the command line\n' | $SM -Am -odq progalias bob filealias both
chown "$QUEUE_OWNER" /var/spool/mqueue/*
grep -v '^[TKIH$	]' /var/spool/mqueue/qf* | grep -v '^\.$'
qrun
queued
