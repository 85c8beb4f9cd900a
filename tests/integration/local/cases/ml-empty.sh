# An empty message.
printf '' | run mail.local -f empty alice
dump
