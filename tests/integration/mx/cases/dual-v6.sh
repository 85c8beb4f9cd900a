# an MX host with an IPv6 and an IPv4 address, both listening: which one
# takes the message
sink ::1
sink 127.0.0.3
send u@dual.test
received
