# a qf cut short (what a full disk or a crash of a foreign writer can
# leave): no final "." line, or cut in the middle of a line.  sendmail
# 8.17.1 delivers none of it: SYSERR "incomplete queue file read", the
# files stay as they are; a good entry beside them is delivered.
# Priorities apart, so that the run's order is the same each time
sink 127.0.0.2
(
	cd /var/spool/mqueue
	# complete
	printf 'V8\nT1796600050\nK0\nN0\nP30015\nFs\nSroot\nRPFD:x@plain.test\nH??Subject: whole\n.\n' >qf6B70AAAI000009
	# cut after the headers: no "." line
	printf 'V8\nT1796600050\nK0\nN0\nP30010\nFs\nSroot\nRPFD:u@plain.test\nH??Subject: cut\n' >qf6B70AAAJ000010
	# cut in the middle of the second recipient's line
	printf 'V8\nT1796600050\nK0\nN0\nP30020\nFs\nSroot\nRPFD:v@plain.test\nRPFD:w@pla' >qf6B70AAAK000011
	# cut before any recipient
	printf 'V8\nT1796600050\nK0\nN0\nP30030\nSroot\n' >qf6B70AAAL000012
	for f in qf*; do echo body >"d${f#q}"; done
	chmod 600 ./*
)
run $SM -Am -q -v
ls /var/spool/mqueue
received
