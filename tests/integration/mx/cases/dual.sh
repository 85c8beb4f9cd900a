# an MX host with an IPv6 and an IPv4 address: both tried before giving up
sink 127.0.0.3
send u@dual.test
received
