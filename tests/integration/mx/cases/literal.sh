# an address literal: no MX lookup
sink 127.0.0.3
send 'u@[127.0.0.3]'
received
