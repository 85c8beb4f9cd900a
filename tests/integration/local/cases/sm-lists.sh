# || and && join commands; a single | or & is refused.
prog args 755 'for a in "$0" "$@"; do printf "[%s]" "$a"; done; echo'
for c in 'args a || exit 75' 'args a||args b' 'args a ||  /p/args b && args c' 'args a ||| args b' \
	'args a &&& args b' 'args a || echo x' 'args a || exec args b' 'args ||' '|| args' \
	'args a ||exit' 'args a&&' 'args a && &&' 'args a || || args' 'echo a || nosuch' \
	'exit||nosuch' 'args a || nosuch' 'args a || /x/exit 7' 'args a | cat' 'echo a | b' \
	'args &' 'args a & id' 'args "a || b"' "args 'a' || 'args'" 'args a || nosuch | x' \
	'nosuch | cat' 'nosuch a || args `x`'; do
	echo "== [$c]"
	run smrsh -c "$c"
done
