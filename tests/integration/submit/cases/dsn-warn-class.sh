# Timeout.queuewarn per class: sendmail's queue runs use the normal class
# (4 hours) even for a message with Priority: urgent and .urgent at 1s
sink -r RCPT
printf 'Subject: urgent\nPriority: urgent\nMessage-Id: <m1@oracle.example.org>\n\nbody line\n' |
	run $SM -odi nobody
printf 'Subject: normal\nMessage-Id: <m2@oracle.example.org>\n\nbody line\n' |
	run $SM -odi nobody
sleep 2
run $SM -Ac -q -O Timeout.queuewarn.urgent=1s
sleep 2
# in the order of submission (IDs of one second do not tell it)
for m in m1 m2; do
	f=$(grep -l "<$m@" "$CQ"/qf*)
	echo "--- ${f##*/}"
	cat "$f"
done
clean_queue
