# Content-Length headers are replaced, whatever their case; look-alikes stay.
printf 'Content-Length: 999\nSubject: a\ncontent-length: 3\nContent-Length : 5\nX-Content-Length: 6\nY: 1\n  Content-Length: 7\n\nContent-Length: 8\nbody\n' | run mail.local -f h alice
printf 'Subject: only headers\nX: y\n' | run mail.local -f h2 alice
printf '\nno headers, body only\n' | run mail.local -f h3 alice
printf 'nocolon line\n\nbody\n' | run mail.local -f h4 alice
dump
