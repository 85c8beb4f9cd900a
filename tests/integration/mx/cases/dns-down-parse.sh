# the name server is down before the address is parsed: queued
nodns
sink 127.0.0.2
send u@mx.test
received
queue
