#!/bin/sh
# timeloop.sh RUNS INPUT -- COMMAND...: runs COMMAND RUNS times with INPUT on
# stdin and prints each run's wall time in microseconds, one per line.
runs=$1 input=$2; shift 3
i=0
while [ $i -lt "$runs" ]; do
	s=$(date +%s%N)
	"$@" < "$input" > /dev/null 2>&1
	e=$(date +%s%N)
	echo $(( (e - s) / 1000 ))
	i=$((i + 1))
done
