# the best MX refuses connections: the next one takes the message
sink 127.0.0.3
send u@mx.test
received
