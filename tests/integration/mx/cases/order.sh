# the zone lists the worse MX first: preference decides
sink 127.0.0.2
sink 127.0.0.3
send u@order.test
received
