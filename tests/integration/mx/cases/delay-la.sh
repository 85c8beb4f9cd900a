# DelayLA in the SMTP server (the load average read from a file
# bind-mounted over /proc/loadavg in the private mount namespace of the
# test): at 7 with DelayLA=5 the first command of a session but RSET and
# QUIT waits a second and is logged (HELO as "EHLO", as sendmail 8.17.1
# names it), only the first; with DelayLA=8, or at 4, nothing
la() { echo "$1 1.00 1.00 1/100 1234" > "$W/loadavg"; }
la 7.00
mount --bind "$W/loadavg" /proc/loadavg
session() {
	local opt=$1
	shift
	{ sleep 1.3; for c in "$@" QUIT; do
		sleep 1.2
		printf '%s\r\n' "$c"
	done; } | $SM -bs -Am "$opt" 2>&1 | grep -v '^250-' |
		sed 's/ at .*$/ at DATE/; s/oracle.example.org Hello .*,/oracle.example.org Hello CLIENT,/'
}
session -ODelayLA=5 'EHLO client.test'
session -ODelayLA=5 'HELO client.test'
session -ODelayLA=5 NOOP
session -ODelayLA=5 RSET 'EHLO client.test' NOOP
session -ODelayLA=8 'EHLO client.test'
la 4.00
session -ODelayLA=5 'EHLO client.test'
umount /proc/loadavg
