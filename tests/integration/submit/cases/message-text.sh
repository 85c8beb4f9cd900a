# dots, CRLF input, a last line without newline, -i
sink
printf 'Subject: dots\n\n..two\n.one\nbefore\n.\nafter\n' | run $SM -odi root
received
printf 'Subject: dots -i\n\n..two\n.\nafter\n' | run $SM -odi -i root
received
printf 'Subject: dots -oi\n\n.\nafter\n' | run $SM -odi -oi root
received
printf 'Subject: crlf\r\nX-Two: a\r\n\tfolded\r\n\r\nline one\r\nline two\r\n' | run $SM -odi root
received
printf 'Subject: no newline\n\nlast line' | run $SM -odi root
received
printf 'From sender@example.org Sun Nov 22 00:00:00 2026\nSubject: from line\n\nbody\n' | run $SM -odi root
received
printf 'no header here\n\nbody\n' | run $SM -odi root
received
