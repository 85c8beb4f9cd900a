# the next hop refuses RCPT with a 5xx, and then the DSN too: the DSN's
# priority in the MTA is RecipientFactor alone (pri=30000), with Debian's
# nobodyreturn and without it
sink 127.0.0.2 -f RCPT
send u@plain.test -- -f sender@plain.test
send u@plain.test -- -f sender@plain.test -O PrivacyOptions=authwarnings
received
