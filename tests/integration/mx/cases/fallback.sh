# every MX refuses: FallbackMXhost takes the message
sink 127.0.0.4
send u@mx.test -- -OFallbackMXhost=fallback.test
received
