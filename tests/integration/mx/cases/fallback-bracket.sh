# FallbackMXhost in brackets: its address, not its MX
sink 127.0.0.4
send u@order.test -- '-OFallbackMXhost=[fallback.test]'
received
