# this host is the best MX: the worse ones are not used, an error
sink 127.0.0.2
sink 127.0.0.3
send u@selfbest.test -- -f sender@plain.test
received
queue
