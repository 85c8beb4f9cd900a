# the name server is down after the address was parsed (the host is in
# /etc/hosts): the MX lookup fails for the moment, deferred
echo "127.0.0.2 hostsfile.test" >>/etc/hosts
nodns
sink 127.0.0.2
send u@hostsfile.test
received
queue
