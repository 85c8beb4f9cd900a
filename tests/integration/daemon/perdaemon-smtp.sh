# perdaemon-smtp.sh PORT [RCPT]: what a client sees of the daemon on
# PORT: the greeting within 3 seconds, or "not greeted" (sendmail closes
# a refusing daemon's socket, sm-mta leaves systemd's open and lets the
# backlog wait: either way no session); with RCPT, one message to RCPT
# from root@oracle.example.org, then QUIT.  Run by perdaemon.py (sdmail)
# and capture-perdaemon.sh (sendmail 8.17.1) alike.
port=$1 rcpt=${2:-}
echo "--- port $port"
if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || ! IFS= read -r -t 3 line <&3; then
	echo "not greeted"
	exit 0
fi
echo "${line%%ESMTP*}ESMTP"
[ -n "$rcpt" ] || { printf 'QUIT\r\n' >&3; exit 0; }
say() {
	printf '%s\r\n' "$1" >&3
	while IFS= read -r -t 10 line <&3; do
		echo "${line%$'\r'}" | cut -c1-40
		case $line in [0-9][0-9][0-9]-*) ;; *) break ;; esac
	done
}
say 'EHLO client.test' >/dev/null
say 'MAIL From:<root@oracle.example.org>'
say "RCPT To:<$rcpt>"
say DATA
printf 'Subject: load\r\n\r\nbody\r\n.\r\n' >&3
IFS= read -r -t 10 line <&3
echo "${line%% *}"
say QUIT
