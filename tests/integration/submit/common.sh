# common.sh: what the submission tests share; sourced, not run.
#
# On the host (before the sandbox):
#   start_test SENDMAIL MAKEMAP [SINK_CACHE]
#                              the arguments every test takes: sets
#                              $sendmail, $makemap and $cache (smtp-sink
#                              fetched into it, see ../fetch-sink.sh); skips
#                              unless root
#   need_root                  skip (77) unless root
#   install_setgid SENDMAIL    copy it to $inst, setgid smmsp as a package
#                              installs it (smmsp is gid 102 in the oracle's
#                              /etc/group, which the sandbox uses)
#   in_sandbox CMD...          run CMD in the golden sandbox (the oracle's
#                              host name and users, Debian's /etc/mail), with
#                              COMMON set to this file for the inside
# In the sandbox (after `. "$COMMON"; sandbox_setup NAME`):
#   $W a work directory, $CQ the client queue (smmsp, 2770)
#   ok / fail / expect NAME TEXT REGEX... / finish   the test's verdicts
#   sink [OPTS] / nosink / received   Postfix's smtp-sink on 127.0.0.1:25
#                                     ($SINK_ROOT) and what it got
#   as_nobody CMD...                  run CMD as nobody, HOME=$W/home

need_root() {
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
}

start_test() {
	sendmail=$(readlink -f "$1")
	makemap=$(readlink -f "$2")
	cache=${3:-}
	need_root
	if [ -n "$cache" ]; then
		"$here/../fetch-sink.sh" "$cache" || exit $?
		cache=$(cd "$cache" && pwd)
	fi
}

install_setgid() {
	inst=$(mktemp -d /tmp/sdmail-inst.XXXXXX)
	trap 'rm -rf "$inst"' EXIT
	chmod 755 "$inst"
	cp "$1" "$inst/sendmail"
	chgrp 102 "$inst/sendmail" && chmod 2755 "$inst/sendmail"
}

# make_test_certs DIR: a CA (ca.pem, ca.key) and a server certificate for
# localhost / 127.0.0.1 signed by it (srv.pem, srv.key), made by certtool;
# skips the test when there is no certtool.
make_test_certs() {
	command -v certtool >/dev/null || { echo "SKIP: no certtool"; exit 77; }
	printf 'cn = "sdmail test CA"\nca\ncert_signing_key\nexpiration_days = 2\n' > "$1/ca.tmpl"
	printf 'cn = "localhost"\nip_address = "127.0.0.1"\ntls_www_server\nsigning_key\nencryption_key\nexpiration_days = 2\n' > "$1/srv.tmpl"
	certtool --generate-privkey --key-type=ecdsa --outfile "$1/ca.key" 2>/dev/null
	certtool --generate-self-signed --load-privkey "$1/ca.key" --template "$1/ca.tmpl" \
		--outfile "$1/ca.pem" 2>/dev/null
	certtool --generate-privkey --key-type=ecdsa --outfile "$1/srv.key" 2>/dev/null
	certtool --generate-certificate --load-privkey "$1/srv.key" --load-ca-certificate "$1/ca.pem" \
		--load-ca-privkey "$1/ca.key" --template "$1/srv.tmpl" --outfile "$1/srv.pem" 2>/dev/null
	[ -s "$1/srv.pem" ] || { echo "FAIL: certtool made no certificate"; exit 1; }
}

in_sandbox() {
	COMMON="$here/common.sh" "$top/tests/golden/sandbox.sh" \
		"$top/tests/golden/etc/debian" "$makemap" -- "$@"
}

sandbox_setup() {
	set -u
	W=$(mktemp -d "/tmp/sdmail-$1.XXXXXX")
	chmod 755 "$W"
	mkdir -m 777 "$W/dump" "$W/home"
	CQ=/var/spool/mqueue-client
	chown smmsp:smmsp "$CQ" && chmod 2770 "$CQ"
	failures=0 SINK_PID=
	[ -n "${SINK_ROOT:-}" ] && export LD_LIBRARY_PATH=$SINK_ROOT/usr/lib/postfix
}

. "$(dirname "${BASH_SOURCE[0]}")/../../verdicts.sh"
finish() {
	nosink
	rm -rf "$W"
	verdict
}

sink() {
	"$SINK_ROOT/usr/sbin/smtp-sink" -u root -d "$W/dump/%M%S." "$@" 127.0.0.1:25 100 2>/dev/null &
	SINK_PID=$!
	for _ in $(seq 50); do
		(exec 3<>/dev/tcp/127.0.0.1/25) 2>/dev/null && return
		sleep 0.1
	done
	fail "smtp-sink did not start"
}
nosink() {
	[ -n "$SINK_PID" ] || return 0
	kill "$SINK_PID" 2>/dev/null
	wait "$SINK_PID" 2>/dev/null
	SINK_PID=
}
received() {
	sleep 0.3
	cat "$W/dump"/* 2>/dev/null
	rm -f "$W/dump"/*
}
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME="$W/home" "$@"; }
