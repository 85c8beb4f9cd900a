# the MTA refuses the recipient for good (5xx to RCPT): sendmail returns
# the message to the sender through the same relay (MAIL From:<>); the
# relay refuses that too, so it goes to the postmaster, then the DSN is
# saved in DeadLetterDrop (an existing file)
sink -f RCPT
: >"$W/dead.letter"
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\nFrom here\n' |
	run $SM -v -odi -ODeadLetterDrop="$W/dead.letter" nobody | sed "s|$W|W|"
received
echo "--- dead.letter"
cat "$W/dead.letter"
