# the only MX is this host, but TryNullMXList lets the name's address be tried
sink 127.0.0.2
send u@selfa.test -- -OTryNullMXList=true
received
