# -f and -F from a trusted caller, an 8-bit body without -B
sink
printf 'Subject: h\xc3\xa9llo\n\nb\xc3\xa9dy line\n' |
	run $SM -v -odi -f other@[10.0.0.2] -F "Mr Other" "Joe <nobody@oracle.example.org>"
received
printf 'From: Someone Else <else@[10.0.0.3]>\nSubject: own from\n\nx\n' | run $SM -odi -r bounce@[10.0.0.4] root
received
