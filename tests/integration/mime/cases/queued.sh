# a message queued first and converted by the queue run that delivers it
# (-q): the same conversion, X-MIME-Autoconverted naming its queue ID
sink -8
printf 'Subject: queued\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9 and more text here\n' |
	run "$SM" -Am -odq 'nobody@[127.0.0.2]'
run "$SM" -Am -q
received
