# How long a command may be: 998 bytes after rewriting, 982 before.
prog args 755 'echo "$0" $#'
a() { head -c "$1" /dev/zero | tr '\0' a; }
for c in "args $(a 977)" "args $(a 978)" "$(a 982)" "$(a 983)" "   args $(a 974)" "   args $(a 975)" \
	"exec args $(a 972)" "exec args $(a 973)" "exec    args $(a 969)" "exec    args $(a 970)" \
	"args a || args $(a 952)" "args a || args $(a 953)" "args a ||   args $(a 952)" "args a ||   args $(a 953)" \
	"args a || exec args $(a 947)" "args a || exec args $(a 948)" \
	"/x/y/z/args a || /x/y/z/args $(a 952)" "/x/y/z/args a || /x/y/z/args $(a 953)" \
	"args a || args b || args $(a 927)" "args a || args b || args $(a 928)" \
	"echo a || echo $(a 967)" "echo a || args $(a 964)" "args $(a 956) || args \`" \
	"args $(a 956) || nosuch" "args $(a 956) || args" "args $(a 956) || echo \`" \
	"args $(a 956) || echo x" "echo $(a 963) || args" "echo $(a 943) || args || args" \
	"args $(a 956) || x\`" "args a || args $(a 951) |" "args a || args $(a 951) | x" \
	"args $(a 976)\`" "args $(a 977)\`" "args $(a 953) || args b" "args $(a 946) || nosuch b" \
	"exec args a || args $(a 946)" "args a || exec args b || args $(a 921)" "exec args a || args $(a 940) \`" \
	"$(a 300)" "args $(a 2000)"; do
	echo "== ${#c}: ${c:0:30}"
	run smrsh -c "$c"
done 2>&1 | cut -c1-120
