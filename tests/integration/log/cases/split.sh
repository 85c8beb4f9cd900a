# where sendmail cuts the to= list: names of several lengths, and a list
# of exactly 788 bytes (listed in reverse order of the arguments)
sink
for n in 9 36 78 112 130 156 196; do
	r=""
	for i in $(seq 1 25); do r="$r $(printf "u%0$((n - 1))d" "$i")"; done
	printf 'Subject: split\n\nb\n' | run $SM -odi $r
done
printf 'Subject: split\n\nb\n' | run $SM -odi $(printf "v%0195d" 1) $(printf "v%0196d" 2) \
	$(printf "v%0195d" 3) $(printf "v%0195d" 4) $(printf "v%0195d" 5)
received
