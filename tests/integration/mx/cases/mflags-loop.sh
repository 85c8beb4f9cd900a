# the client's loop check: a server whose EHLO reply names this host is
# a configuration error ("mail loops back to me"), returned to the
# sender; with F=k the message goes to it all the same.  (sendmail says
# "Closing connection to [127.0.0.2]" of the refused server later, while
# it returns the message, with the bounce's address first: not matched,
# mflags-loop.notyet.)
sed '/^Mesmtp,/s/F=mDFMuXa,/F=mDFMuXak,/' /etc/mail/sendmail.cf >"$W/k.cf"
sink 127.0.0.2 -h oracle.example.org
sink 127.0.0.3
echo "=== the server names this host, F=k"
send 'u@[127.0.0.2]' -- -C "$W/k.cf"
received
echo "=== the server names this host"
send 'u@[127.0.0.2]' -- -f 'sender@[127.0.0.3]'
received
queue
