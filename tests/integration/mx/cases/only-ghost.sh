# the only MX host has no address
sink 127.0.0.2
send u@onlyghost.test -- -f sender@plain.test
received
queue
