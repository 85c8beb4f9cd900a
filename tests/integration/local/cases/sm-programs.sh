# Which programs run, and as what: the word's last component in the smrsh directory.
prog args 755 'for a in "$0" "$@"; do printf "[%s]" "$a"; done; echo'
prog noexec 644 'echo noexec'
mkdir "$SMRSH_DIR/adir"
mkfifo "$SMRSH_DIR/fifo"
ln -s /nonexistent "$SMRSH_DIR/dangling"
ln -s /bin/true "$SMRSH_DIR/t"
for c in 'args a b' '/usr/local/bin/args a "b c"' 'exec args a' 'exec /x/y/args a' 'exec   args   x' \
	'exec	args' 'exec/args' 'exec exec args' 'exec' 'exec   ' 'ex args' 'execargs' ' args lead' \
	'	args tab' 'args a	b' 'args #x' 'args ~' 'args {a,b}' 'args -x/y' '../args' \
	'vacation -a x' 'adir' 'fifo' 'dangling' 't' 'noexec' '/a/b/' '/' '"args" a' "'args' a" \
	'arg\s' 'X=1 args' 'echo hello' 'echo' 'echo	tab' 'echo /bin/args' 'exit 3' 'exit' \
	'exec echo x' 'exec exit 2' '/bin/echo x' 'exit;' 'args||x'; do
	echo "== [$c]"
	run smrsh -c "$c"
done
