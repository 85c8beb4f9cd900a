# A NUL byte inside a line, in the middle and in the last line of a message.
printf 'Subject: a\n\nnul\0byte\nnext\n' | run mail.local -f nul alice
printf 'Subject: a\n\nnul\0byte\n' | run mail.local -f nul-last alice
dump
