# smrsh's command line.
run smrsh
run smrsh -c
run smrsh -x foo
run smrsh -c ''
run smrsh -c '   '
prog args 755 'echo "$0" "$@"'
run smrsh -c 'args a b' extra
run smrsh -c 'args' -c 'x'
