# a long recipient list: sendmail splits the to= list over several lines
sink
r=""
for i in $(seq 1 40); do r="$r user$i-with-a-longish-name@oracle.example.org"; done
printf 'Subject: many\n\nb\n' | run $SM -odi $r
received
