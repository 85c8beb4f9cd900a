# a bracketed host name: its own address, not its MX hosts
sink 127.0.0.2
sink 127.0.0.4
send 'u@[mx.test]'
received
