# lib.sh: what the system tests share; sourced, not run.
#
#   need_tools TOOL...     skip (77) unless root and every TOOL is there
#   deb_test NAME          all of the below up to unpack_root: the .deb of
#                          $src in $W and at $R/opt/sdmail.deb (not booted)
#   make_workdir NAME      $W, removed at exit with the container stopped
#   build_deb SRC          dpkg-buildpackage of a copy of SRC: $W/sdmail_*.deb
#   unpack_root            the cached root (make-root.sh) into $R
#   boot                   systemd-nspawn -b on $R, private network; $L is
#                          the container's PID 1; waits for the boot
#   ct CMD...              run CMD in the container (all its namespaces)
#   wait_tries QF N SECS   the qf's try count once it reaches N (or at SECS)
#   wait_procs N SECS      sendmail processes (ruser euser rgroup egroup
#                          comm) once there are N (or at SECS)
#   hang_mta start|stop    a listener on the container's 127.0.0.1:25 that
#                          accepts and never answers
#   step / ok / fail / expect NAME TEXT REGEX... / finish   the verdicts

failures=0
L= NSPAWN= HANG=

need_tools() {
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
	done
}

make_workdir() {
	W=$(mktemp -d "/tmp/sdmail-system-$1.XXXXXX")
	R=$W/root
	CG=$(sed -n 's/^0:://p' /proc/self/cgroup)
	trap cleanup EXIT
}

cleanup() {
	[ -n "$HANG" ] && kill "$HANG" 2>/dev/null
	if [ -n "$NSPAWN" ] && kill -0 "$NSPAWN" 2>/dev/null; then
		kill -TERM "$NSPAWN" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$NSPAWN" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$NSPAWN" 2>/dev/null
		wait "$NSPAWN" 2>/dev/null
	fi
	# nspawn started outside a systemd scope leaves these behind
	for d in payload supervisor; do
		[ -n "$CG" ] && rmdir "/sys/fs/cgroup$CG/$d" 2>/dev/null
	done
	rm -rf "$W"
}

step() { echo "== $*"; }
. "$(dirname "${BASH_SOURCE[0]}")/../verdicts.sh"
finish() { verdict; }

deb_test() {
	need_tools dpkg-buildpackage dh systemd-nspawn nsenter zstd
	"$here/make-root.sh" "$build/system-cache" || exit $?
	make_workdir "$1"
	step "build the .deb"
	build_deb "$src" || { echo "FAIL: dpkg-buildpackage"; tail -30 "$W/deb.log"; exit 1; }
	unpack_root
	cp "$W"/sdmail_*_amd64.deb "$R/opt/sdmail.deb"
}

build_deb() {
	mkdir "$W/src"
	tar -C "$1" --exclude='./build*' --exclude=./.git --exclude='./obj-*' \
		--exclude=./debian/sdmail --exclude=./debian/.debhelper -cf - . | tar -C "$W/src" -xf -
	(cd "$W/src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) >"$W/deb.log" 2>&1
}

unpack_root() {
	mkdir "$R"
	zstd -dc "$build/system-cache/bookworm.tar.zst" | tar -C "$R" -xf -
}

boot() {
	setsid systemd-nspawn -D "$R" -b --register=no --keep-unit --console=pipe \
		--private-network -M sdmail-test </dev/null >"$W/nspawn.log" 2>&1 &
	NSPAWN=$!
	for _ in $(seq 100); do
		# the container's PID 1, not a short-lived helper of nspawn's
		L=$(pgrep -P "$NSPAWN" -x systemd | head -1)
		[ -n "$L" ] && break
		kill -0 "$NSPAWN" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$L" ]; then
		echo "SKIP: systemd-nspawn cannot boot here:"; tail -5 "$W/nspawn.log"
		exit 77
	fi
	for _ in $(seq 50); do
		ct test -S /run/systemd/private && break
		sleep 0.1
	done
	state=$(timeout 60 nsenter -t "$L" -a systemctl is-system-running --wait 2>&1)
	case $state in
	running | degraded) ok "the container booted ($state)" ;;
	*) echo "FAIL: boot: $state"; tail -20 "$W/nspawn.log"; return 1 ;;
	esac
}

ct() { nsenter -t "$L" -a "$@"; }

wait_tries() {
	local n=0
	for _ in $(seq $(($3 * 5))); do
		n=$(ct sed -n 's/^N//p' "$1" 2>/dev/null)
		[ -n "$n" ] && [ "$n" -ge "$2" ] && break
		sleep 0.2
	done
	echo "$n"
}

wait_procs() {
	local p=
	for _ in $(seq $(($2 * 5))); do
		p=$(ct ps -eo ruser:12,euser:12,rgroup:12,egroup:12,comm --no-headers |
			awk '$5 == "sendmail" { print $1, $2, $3, $4, $5 }')
		[ "$(grep -c . <<<"$p")" -ge "$1" ] && break
		sleep 0.2
	done
	echo "$p"
}

hang_mta() {
	if [ "$1" = start ]; then
		nsenter -t "$L" -n /usr/bin/python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 25)); s.listen(8); held = []
while True:
    held.append(s.accept()[0])' &
		HANG=$!
		sleep 0.5
	else
		kill "$HANG"; wait "$HANG" 2>/dev/null; HANG=
	fi
}

shutdown_ct() {
	ct systemctl poweroff >/dev/null 2>&1
	for _ in $(seq 100); do kill -0 "$NSPAWN" 2>/dev/null || break; sleep 0.2; done
}
