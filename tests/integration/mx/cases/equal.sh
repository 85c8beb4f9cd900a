# three MX hosts of one preference, none up: each is tried once, in an
# order random per host name (compared sorted)
send u@equal.test | sort
queue
