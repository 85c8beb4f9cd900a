# the only MX host is this host: a configuration error, returned
sink 127.0.0.2
send u@self.test -- -f sender@plain.test
received
queue
