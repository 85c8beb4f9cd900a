# a normal user: -f is noted, the queue is not theirs to run
sink
printf 'Subject: x\n\nb\n' | run as_nobody $SM -odi -f fake@[10.0.0.5] root
received
printf 'Subject: x\n\nb\n' | run as_nobody $SM -odq root
run as_nobody $SM -Ac -q
run as_nobody $SM -Ac -q30m
run as_nobody $SM -Ac -bp -OPrivacyOptions=restrictmailq
run as_nobody $SM -Ac -bp
