# the MX query fails for the moment: deferred
sink 127.0.0.2
send u@tempmx.test
received
queue
