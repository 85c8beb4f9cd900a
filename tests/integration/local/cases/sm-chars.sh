# The characters smrsh refuses, and in which order it finds the problems.
prog args 755 'echo "$0" "$@"'
for c in 'args a; id' 'args `id`' 'args $HOME' 'args <x' 'args >x' 'args (x)' 'args )' \
	"$(printf 'args a\rb')" "$(printf 'args a\nb')" 'nosuch `id`' 'exec nosuch `x`' \
	'echo `x`' 'echo $x' 'args a\;b' 'args a%b' 'args !x' 'args a=b'; do
	echo "== [$c]"
	run smrsh -c "$c"
done
