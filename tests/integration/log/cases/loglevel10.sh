# LogLevel 10: connect from, AUTH=client (MTA offers AUTH, then not) and done;
sink
printf 'Subject: ten\n\nb\n' | run $SM -OLogLevel=10 -odi root
sink -a
printf 'Subject: ten\n\nb\n' | run $SM -OLogLevel=10 -odi root
nosink
printf 'Subject: ten\n\nb\n' | run $SM -OLogLevel=10 -odi root
sink
run $SM -OLogLevel=10 -Ac -q
received
