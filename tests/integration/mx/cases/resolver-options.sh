# ResolverOptions: with "search test" in resolv.conf an unqualified host
# is found through the search list (sendmail's default +DNSRCH +DEFNAMES);
# -DNSRCH -DEFNAMES turns that off, so the name is not found
echo 'search test' >>/etc/resolv.conf
sink 127.0.0.2
send u@plain
received
send v@plain -- '-OResolverOptions=-DNSRCH -DEFNAMES'
received
queue
run $SM -bt '-OResolverOptions=-DNSRCH -DEFNAMES' <<'END'
/canon plain
/mx plain
END
run $SM -bt <<'END'
/canon plain
/mx plain
END
