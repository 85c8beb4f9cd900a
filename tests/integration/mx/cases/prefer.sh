# two MX hosts, both up: the better one (preference 10) takes the message
sink 127.0.0.2
sink 127.0.0.3
send u@mx.test
received
