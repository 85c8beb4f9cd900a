# A mailbox procmail creates is 0600 under sdmail, 0660 under sendmail:
# procmail makes it group-writable only when it runs with the mail group
# of its set-group-ID bit, and sdmail runs mailers with no_new_privs (as
# sendmail.service's NoNewPrivileges=), so the bit gives nothing.  The
# owner, its group (the spool's) and the content are the same.
s/^\(alice\|carol\) mail 660$/\1 mail 600/
