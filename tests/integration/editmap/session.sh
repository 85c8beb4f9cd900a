# The editmap session compared with sendmail 8.17.1's (expected/session.out):
# run with EDITMAP and MAKEMAP set, in an empty directory that others may
# not write to.  Each command's output and exit status.
run() {
	echo "\$ editmap $*"
	"$EDITMAP" "$@" 2>&1
	echo "rc=$?"
}
printf 'a\tb\nMixed\tcase\n' | "$MAKEMAP" hash t
run -q hash t a
run -q hash t zz
run -q hash t mixed
run -u hash t Key1 val one
run -q hash t KEY1
run -u hash t Key1 "val  two"
run -q hash t key1
run -f -u hash t Key2 v2
run -q hash t key2
run -f -q hash t Key2
run -x hash t key1
run -x hash t key1
run -q hash t key1
run -N -u hash t n1 v
run -q hash t n1
run -N -q hash t n1
run -u hash t "" empty
run -q hash t ""
run -u hash new k v
run -q hash new k
run -q hash nosuch k
run -q foo t k
run
run hash t a
run -u hash t k2
run -q hash t a extra
run -x hash t a extra
run -q -x hash t a
run -q -u hash t a b
run -C /nonexistent.cf -q hash t a
run -z hash t a
