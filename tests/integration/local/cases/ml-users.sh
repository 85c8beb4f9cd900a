# Several users, unknown ones, the exit status of a mixed list.
printf 'Subject: a\n\nx\n' | run mail.local -f s alice bob
printf 'Subject: a\n\nx\n' | run mail.local -f s nosuch
printf 'Subject: a\n\nx\n' | run mail.local -f s nosuch alice
printf 'Subject: a\n\nx\n' | run mail.local -f s Alice
printf 'Subject: a\n\nx\n' | run mail.local -f s 'a/b' '../alice' ''
printf 'Subject: a\n\nx\n' | run mail.local -f s carol root
dump
