# a name with neither MX nor address records
sink 127.0.0.2
send u@txtonly.test -- -f sender@plain.test
received
queue
