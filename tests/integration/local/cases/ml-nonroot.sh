# An ordinary user runs mail.local.
printf 'Subject: a\n\nx\n' > /tmp/m; chmod 644 /tmp/m
as bob mail.local -f z alice < /tmp/m; echo "rc=$?"
as bob mail.local -f z bob < /tmp/m; echo "rc=$?"
dump
