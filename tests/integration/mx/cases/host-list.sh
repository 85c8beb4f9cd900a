# a mailertable entry with a colon-separated list of hosts: each in turn,
# each with its own MX hosts (esmtp:order.test:fallback.test)
mailertable
sink 127.0.0.4
send u@list.test -- -C "$MTCF"
received
