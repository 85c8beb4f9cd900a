# a mailer with F=0 (relay here, through mailertable): the host's own
# address, not its MX hosts
mailertable
sink 127.0.0.2
sink 127.0.0.4
send u@norelaymx.test -- -C "$MTCF"
received
