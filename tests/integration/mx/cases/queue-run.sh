# every MX refuses at first: queued; a queue run later reaches the second
send u@mx.test
queue
sink 127.0.0.3
run $SM -Am -v -q
received
queue
