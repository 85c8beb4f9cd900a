# FallbackMXhost with MX records of its own
sink 127.0.0.3
send u@plain.test -- -OFallbackMXhost=fbmx.test
received
