# -v shows the relay dialogue; two recipients go in one transaction
sink
printf 'Subject: hello\nTo: someone@[10.0.0.1]\n\nbody line\n' |
	run $SM -v -odi root@oracle.example.org nobody
received
queue
