# Command-line errors.
run mail.local < /dev/null
run mail.local -x alice < /dev/null
run mail.local -f a -f b alice < /dev/null
run mail.local -f a -r b alice < /dev/null
run mail.local -f < /dev/null
run mail.local -H u2 alice < /dev/null
run mail.local -l alice < /dev/null
run mail.local -D x alice < /dev/null
printf 'S: x\n\ny\n' | run mail.local -D pw -f dpw alice
printf 'S: x\n\ny\n' | run mail.local -Dpw -f dpw2 -- alice
dump
