# -odq: the client queue's files and the mailq listings
printf 'Subject: queued\n\nbody\n' | run $SM -odq root "Fred <nobody>" "a@[1.2.3.4]"
printf 'Subject:no blank\nX-A:   three\nX-B:\ttab\nX-C:\n\nbody\n' | run $SM -odq -N delay -V id+2B1 "Joe <zzz@oracle.example.org>"
queue
run $SM -Ac -bp
run $SM -Ac -bp -v
run $MAILQ
