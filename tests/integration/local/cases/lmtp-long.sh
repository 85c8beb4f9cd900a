# Long lines: commands are read in pieces of 4094 bytes, message lines whole.
lmtp "$(printf 'NOOP%04088d\\r\\nNOOP\\r\\n' 0)"
lmtp "$(printf 'NOOP%04089d\\r\\nNOOP\\r\\n' 0)"
lmtp "$(printf 'NOOP%05000d\\r\\nNOOP\\r\\n' 0)"
lmtp "$(printf 'MAIL FROM:<a>\\r\\nRCPT TO:<alice>\\r\\nDATA\\r\\nS: x\\r\\n\\r\\n%020000d\\r\\n.\\r\\nNOOP\\r\\n' 0)"
awk '{ print length($0) }' /var/mail/alice
