# A message whose last line has no newline.
printf 'Subject: a\n\nno newline at end' | run mail.local -f t9 alice
dump
