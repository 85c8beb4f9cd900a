# no MX record: the host's own address
sink 127.0.0.2
send u@plain.test
received
