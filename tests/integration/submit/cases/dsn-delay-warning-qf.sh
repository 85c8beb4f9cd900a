# after a delay warning the entry says so (F line w, M line), and the
# warning, deferred too, waits in the client queue
sink -r RCPT
printf 'Subject: x\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi -N failure,delay nobody
sleep 2
run $SM -Ac -q -O Timeout.queuewarn=1s
sleep 2
# the message, then the warning; the warning's priority counts the
# Received header, whose $v is sdmail's own
for f in $(grep -l '<m1@' "$CQ"/qf*) $(grep -l '^SMAILER-DAEMON' "$CQ"/qf*); do
	echo "--- ${f##*/}"
	sed 's/^P3[0-9]*$/P3xxxx/' "$f"
done
clean_queue
