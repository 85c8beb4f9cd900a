# the MTA refuses RCPT with a 5xx: the to= line of the failure (both then
# return a DSN through the MTA, but sdmail's sendmail command does not log
# the DSN's lines yet: see expected/refused.notyet)
sink -f RCPT
printf 'Subject: x\n\nb\n' | run $SM -odi root
received
