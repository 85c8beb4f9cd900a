# Sourced (bash) before every case of local-golden.py, in the sendmail
# 8.17.1 oracle (SIDE=oracle) and in sdmail's sandbox (SIDE=sdmail), as
# root: the same users (alice 1001, bob 1002, carol 1003 without a home),
# an empty /var/mail (mode 3777 root:mail, as Debian's sendmail leaves it),
# an empty smrsh directory, and mail.local and smrsh on PATH under those
# names, so that messages quoting argv[0] read the same on both sides.
export TZ=UTC LC_ALL=C
if [ "$SIDE" = oracle ]; then
	useradd -m -u 1001 alice
	useradd -m -u 1002 bob
	useradd -M -d /nonexistent -u 1003 carol
	rm -f /etc/mail/smrsh/*
	export PATH=/usr/libexec/sendmail:$PATH
	SMRSH_DIR=/etc/mail/smrsh
else
	export PATH=$TOOLS_DIR:$PATH
fi
umask 022

# run CMD...: its stdout, then its exit status
run() {
	"$@"
	echo "rc=$?"
}

# lmtp 'PRINTF-FORMAT' [OPTIONS]: an LMTP session with mail.local -l
lmtp() {
	local script=$1
	shift
	printf "$script" | mail.local -l "$@"
	echo "rc=$?"
}

# as USER CMD...: run CMD with USER's ids and no privileges
as() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"
}

# dump: what /var/mail holds (owner, group, mode, size), then every mailbox
dump() {
	local f
	echo "--- /var/mail"
	for f in $(ls -A /var/mail | LC_ALL=C sort); do
		stat -c '%A %U %G %s %n' "/var/mail/$f"
	done
	for f in $(ls -A /var/mail | LC_ALL=C sort); do
		if [ -f "/var/mail/$f" ] && [ ! -L "/var/mail/$f" ]; then
			echo "--- $f"
			cat -A "/var/mail/$f"
		fi
	done
}

# prog NAME MODE 'SHELL-BODY': a program in the smrsh directory
prog() {
	printf '#!/bin/sh\n%s\n' "$3" > "$SMRSH_DIR/$1"
	chmod "$2" "$SMRSH_DIR/$1"
}

# syslog_start / syslog_show: a /dev/log listener for the case, and what
# it received with the time stamps removed ("<PRI> ident: message")
syslog_start() {
	rm -f /dev/log /tmp/.syslog
	perl -MIO::Socket::UNIX -MSocket -e '
		my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => "/dev/log") or die "$!";
		chmod 0666, "/dev/log";
		open(my $f, ">", "/tmp/.syslog") or die "$!";
		select($f); $| = 1;
		while (1) { $s->recv(my $b, 65536); print "$b\n"; }' &
	SYSLOG_PID=$!
	while [ ! -S /dev/log ]; do sleep 0.02; done
}
syslog_show() {
	logger -u /dev/log -t syslog-end end
	while ! grep -q 'syslog-end: end' /tmp/.syslog 2>/dev/null; do sleep 0.02; done
	kill "$SYSLOG_PID"
	wait "$SYSLOG_PID" 2>/dev/null
	echo "--- syslog"
	grep -v 'syslog-end: end' /tmp/.syslog |
		sed -E 's/^(<[0-9]+>)[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} /\1 /'
}
