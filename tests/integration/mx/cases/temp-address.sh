# the only MX host's address cannot be looked up for the moment: deferred
sink 127.0.0.2
send u@tempa.test
received
queue
