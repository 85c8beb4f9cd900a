# two queued messages for the same hosts, all down: a queue run tries them
# again for the second message
send u@mx.test
send v@mx.test
run $SM -Am -v -q
queue
