# no MX, two addresses: the first refuses, the second takes it
sink 127.0.0.3
send u@multi.test
received
