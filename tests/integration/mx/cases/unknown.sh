# a domain that does not exist: returned to the sender at once
sink 127.0.0.2
send u@nosuch.test -- -f sender@plain.test
received
queue
