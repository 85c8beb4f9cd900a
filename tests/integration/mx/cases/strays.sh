# stray files in the queue (what a session or run killed with SIGKILL can
# leave): df, tf and xf files without a qf, old and new, are left alone by
# a queue run, without a word; a qf with a line of no known type is
# renamed Qf and logged ("Losing"), an empty qf is left as it is; the
# good entry beside them is delivered
sink 127.0.0.2
send u@plain.test -- -odq
(
	cd /var/spool/mqueue
	for p in df tf xf; do
		echo data >${p}6B70AAAA000001
		echo data >${p}6B70AAAB000002
		touch -d '10 days ago' ${p}6B70AAAA000001
		touch -d '3 hours ago' ${p}6B70AAAB000002
	done
	printf 'garbage\n' >qf6B70AAAD000004
	touch -d '10 days ago' qf6B70AAAD000004
	chmod 600 ./*
)
run $SM -Am -q -v
ls /var/spool/mqueue
received
# a run without -v: an unknown line type further down, an empty line, an
# empty qf (the last one run decides the exit status)
(
	cd /var/spool/mqueue
	rm -f ./*
	printf 'V8\nT1796600050\nK0\nN0\nP10\nYzz\nSroot\nRPFD:u@plain.test\n.\n' >qf6B70AAAF000006
	printf 'V8\nT1796600050\nK0\nN0\nP20\n\nSroot\nRPFD:u@plain.test\n.\n' >qf6B70AAAG000007
	: >qf6B70AAAH000008
	for f in qf*; do echo body >"d${f#q}"; done
	chmod 600 ./*
)
run $SM -Am -q
sleep 1 # sendmail runs the queue in a child without -v
ls /var/spool/mqueue
