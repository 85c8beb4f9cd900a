# the MTA refuses RCPT with a 5xx: the to= line of the failure (sendmail
# then returns a DSN through the MTA, which the sendmail command of sdmail
# does not do yet: see expected/refused.notyet)
sink -f RCPT
printf 'Subject: x\n\nb\n' | run $SM -odi root
received
