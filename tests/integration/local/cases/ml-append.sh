# Two messages into one mailbox; the second one is appended after the first.
printf 'Subject: one\n\nfirst\n' | run mail.local -f a@example.org alice
printf 'Subject: two\n\nsecond\n' | run mail.local -r b@example.org alice
dump
