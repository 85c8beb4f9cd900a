# a submission relayed at once (-odi), two recipients, then the same with -L
sink
printf 'Subject: hello\n\nbody line\n' | run $SM -odi root@oracle.example.org nobody
printf 'Subject: tagged\n\nb\n' | run $SM -L sm-msp-tagged -odi root
received
