# the best MX host has no address: the next one
sink 127.0.0.3
send u@ghost.test
received
