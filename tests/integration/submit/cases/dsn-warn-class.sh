# Timeout.queuewarn per class given with -O: it does not count in sendmail
# 8.17.1, whose submit.cf Timeout.queuewarn, read after the command line,
# overrides it (4 hours for Priority: urgent with .urgent=1s; the classes
# themselves: ../../mx/cases/queue-timeout-class.sh)
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
