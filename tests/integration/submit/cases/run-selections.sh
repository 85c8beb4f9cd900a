# -qR -qS -qI pick entries; the others stay
printf 'Subject: one\n\nbody\n' | run $SM -odq -f alice@[10.0.0.1] aaa@oracle.example.org
printf 'Subject: two\n\nbody\n' | run $SM -odq -f bob@[10.0.0.2] bbb@oracle.example.org
printf 'Subject: three\n\nbody\n' | run $SM -odq -f carol@[10.0.0.3] ccc@oracle.example.org
sink
run $SM -Ac -qRbbb -v
received
run $SM -Ac -qSCAROL -v
received
run $SM -Ac -qIzzzz -v
run $SM -Ac -q!Rccc -v
received
queue
