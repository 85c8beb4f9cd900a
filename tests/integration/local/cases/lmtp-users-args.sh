# -l with users on the command line.
run mail.local -l alice < /dev/null
run mail.local -l -f x alice bob < /dev/null
