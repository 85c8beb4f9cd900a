# every MX host refuses connections: deferred, named after the last one tried
send u@mx.test
queue
