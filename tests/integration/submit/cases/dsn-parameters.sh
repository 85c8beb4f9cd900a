# -N -R -V -B become NOTIFY, RET, ENVID and BODY on the wire
sink
printf 'Subject: dsn\n\nseven bit\n' |
	run $SM -v -odi -N success,failure -R hdrs -V envid1 -B 8BITMIME "Joe <nobody@oracle.example.org>"
received
printf 'Subject: dsn\n\neight \xc3\xa9 bit\n' | run $SM -odi -N never -R full -B 8bitmime root
received
printf 'Subject: dsn\n\neight \xc3\xa9 bit\n' | run $SM -odi -B 7BIT root
received
