# "From " at the start of lines inside the message.
printf 'Subject: a\nFrom y\n\nline1\nFrom inner\n\nFrom after blank\n>From q\nfrom lower\nFrom\nFrom_\n' | run mail.local -f t7 alice
dump
