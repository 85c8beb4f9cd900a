# without -v, -R hdrs -V envid -N failure: the DSN returns the header
# only (text/rfc822-headers) and names the envelope id
sink -f RCPT
: >"$W/dead.letter"
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi -R hdrs -V envid.42 -N failure,delay -ODeadLetterDrop="$W/dead.letter" nobody | sed "s|$W|W|"
echo "--- dead.letter"
cat "$W/dead.letter"
