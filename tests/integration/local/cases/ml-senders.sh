# The sender of the From_ line: -f, -r, none (the invoking user), empty.
printf 'Subject: a\n\nx\n' | run mail.local alice
printf 'Subject: a\n\nx\n' | run mail.local -f '' alice
printf 'Subject: a\n\nx\n' | run mail.local -f 'x y' alice
printf 'Subject: a\n\nx\n' | run mail.local -d -f d alice
dump
