# two queued messages for the same hosts, all down: once a queue run has
# found them down for the first message (the smaller one, which runs
# first), it does not try them again for the second
send u@mx.test
printf 'Subject: mx\n\n%0600d\n' 0 | run $SM -Am -odi -v v@mx.test
run $SM -Am -v -q
queue
