# -V prints "compiled with" (nothing else: no optional code is compiled in)
# and goes on; mail.local's rejected options.
printf 'Subject: v\n\nx\n' | run mail.local -V -f v alice
run mail.local -V < /dev/null
printf 'LHLO x\r\nQUIT\r\n' | run mail.local -V -l
for o in -B -s -A -n -e; do run mail.local $o -f x alice < /dev/null; done
dump
