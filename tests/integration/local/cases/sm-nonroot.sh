# Run by an ordinary user: the program must be executable by that user.
prog args 755 'echo "$0" "$@"'
prog rx 744 'echo rx'
prog ox 701 'echo ox'
prog gx 710 'echo gx'
for c in 'args a' 'rx' 'ox' 'gx'; do
	echo "== [$c]"
	run smrsh -c "$c"
	as alice smrsh -c "$c"; echo "alice rc=$?"
done
