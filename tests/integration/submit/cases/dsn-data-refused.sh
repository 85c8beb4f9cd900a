# the MTA refuses the message at DATA (5xx): the DSN to the sender is
# refused too and ends in DeadLetterDrop
sink -f DATA
: >"$W/dead.letter"
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi -ODeadLetterDrop="$W/dead.letter" nobody root | sed "s|$W|W|"
echo "--- dead.letter"
cat "$W/dead.letter"
