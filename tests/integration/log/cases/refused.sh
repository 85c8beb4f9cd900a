# the MTA refuses RCPT with a 5xx: the to= line of the failure, the DSN
# ("QID1: QID2: DSN:"), its own refusal, the postmaster notice about it
# ("return to sender") and the notice's refusal, each DSN with the
# priority sendmail's MSP estimates (31038, then 32062).  Not compared
# yet (expected/refused.notyet): sdmail does not log "Saved message in"
# dead.letter.
sink -f RCPT
printf 'Subject: x\n\nb\n' | run $SM -odi root
received
