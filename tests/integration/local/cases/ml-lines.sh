# Line ends and odd bytes: CRLF becomes LF, other CRs and NULs stay, long lines.
printf 'Subject: a\r\n\r\nbody\r\nx\rmid\nend\r\r\n' | run mail.local -f crlf alice
printf 'Subject: a\n\nbody\n\n\n' | run mail.local -f blanks alice
printf 'Subject: a\n\n%s\n' "$(head -c 10000 /dev/zero | tr '\0' y)" | run mail.local -f long alice
printf 'Subject: a\n\n\xe4\xf6\xfc 8bit\n' | run mail.local -f 8bit alice
dump
