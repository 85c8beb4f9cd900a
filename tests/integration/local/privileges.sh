#!/bin/bash
# mail.local's privileges as sm-mta gives them: run by an ordinary user
# (here "mail") holding CAP_SETUID and CAP_SETGID as ambient capabilities,
# it delivers to every user, creating each mailbox as its owner; whatever
# else it is given is dropped at start-up (read from /proc/PID/status while
# it waits in LMTP mode), and a delivery child has nothing left: with
# CAP_DAC_OVERRIDE, CAP_CHOWN and CAP_FOWNER given too, -h cannot reach
# a directory only root may write.  Without the two capabilities it
# refuses other users.  Runs as root in a private mount namespace.
#   privileges.sh MAIL_LOCAL
set -u
if [ -z "${PRIVILEGES_INSIDE:-}" ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	PRIVILEGES_INSIDE=1 HERE=$here MAIL_LOCAL=$(realpath "$1") \
		exec unshare --mount --propagation private -- bash "$here/privileges.sh"
fi
set -e
export TZ=UTC LC_ALL=C
mount --bind "$HERE/etc/passwd" /etc/passwd
mount --bind "$HERE/etc/group" /etc/group
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /var/mail /home
mount -t tmpfs -o mode=3777 tmpfs /var/mail
chgrp mail /var/mail
mount -t tmpfs -o mode=755 tmpfs /home
for u in alice bob; do mkdir -m 755 /home/$u; chown $u:$u /home/$u; done
# mail.local must be executable by "mail" (the build tree may not be)
cp "$MAIL_LOCAL" /tmp/mail.local
chmod 755 /tmp/mail.local
set +e
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
mark=0
ok() { # ok TEXT: when the section since the last ok had no failure
	[ "$failures" = "$mark" ] && echo "ok: $*"
	mark=$failures
}

# as_mail CAPS CMD...: run CMD as user mail with CAPS (e.g. setuid,setgid)
# ambient; execs, so it is called in a subshell
as_mail() {
	local caps=$1
	shift
	if [ -n "$caps" ]; then
		exec setpriv --reuid=mail --regid=mail --clear-groups --inh-caps="-all,+${caps//,/,+}" \
			--ambient-caps="-all,+${caps//,/,+}" -- "$@"
	else
		exec setpriv --reuid=mail --regid=mail --clear-groups --inh-caps=-all -- "$@"
	fi
}

# 1. CAP_SETUID + CAP_SETGID: deliveries to two users, each mailbox its owner's
printf 'Subject: caps\n\nbody\n' | (as_mail setuid,setgid /tmp/mail.local -f sender alice bob) 2>/tmp/err
rc=$?
[ "$rc" = 0 ] || fail "delivery with CAP_SETUID+CAP_SETGID exited $rc: $(cat /tmp/err)"
for u in alice bob; do
	got=$(stat -c '%U %G %a' /var/mail/$u 2>&1)
	[ "$got" = "$u $u 600" ] || fail "/var/mail/$u: $got"
	grep -q '^From sender ' /var/mail/$u || fail "/var/mail/$u holds no message"
done
ok "run by mail with CAP_SETUID+CAP_SETGID: delivered to alice and bob as themselves"

# 2. the capabilities left while it runs (LMTP mode, waiting for a command):
# permitted and effective CAP_SETUID (bit 7) and CAP_SETGID (bit 6), no ambient
status_caps() { # status_caps CAPS: CapPrm CapEff CapAmb of a waiting mail.local
	rm -f /tmp/fifo
	mkfifo /tmp/fifo
	(exec < /tmp/fifo > /tmp/lmtp.out; as_mail "$1" /tmp/mail.local -l) &
	local pid=$!
	exec 3> /tmp/fifo
	while ! grep -q '^220 ' /tmp/lmtp.out 2>/dev/null; do sleep 0.05; done
	# the subshell execs setpriv, which execs mail.local: one process
	grep -E '^Cap(Prm|Eff|Amb)' "/proc/$pid/status" | awk '{printf "%s %s ", $1, $2}'
	echo
	printf 'QUIT\r\n' >&3
	exec 3>&-
	wait "$pid"
}
want='CapPrm: 00000000000000c0 CapEff: 00000000000000c0 CapAmb: 0000000000000000 '
got=$(status_caps setuid,setgid)
[ "$got" = "$want" ] || fail "with setuid,setgid: $got"
got=$(status_caps setuid,setgid,dac_override,chown,fowner,sys_admin)
[ "$got" = "$want" ] || fail "with more capabilities: $got"
ok "it keeps CAP_SETUID and CAP_SETGID (not ambient: nothing it runs inherits them) and nothing else"

# 3. a delivery child has no capability: CAP_DAC_OVERRIDE does not let -h
# write into a directory only root may write
mkdir -m 700 /tmp/rootonly
printf 'Subject: escape\n\nbody\n' |
	(as_mail setuid,setgid,dac_override,chown,fowner \
		/tmp/mail.local -f sender -h ../../tmp/rootonly/box alice) 2>/tmp/err
rc=$?
[ "$rc" = 75 ] || fail "-h into a root-only directory exited $rc: $(cat /tmp/err)"
grep -q 'Permission denied' /tmp/err || fail "no Permission denied: $(cat /tmp/err)"
[ -z "$(ls -A /tmp/rootonly)" ] || fail "something was written into /tmp/rootonly: $(ls -A /tmp/rootonly)"
ok "a delivery child cannot use what the parent was given"

# 4. without the two capabilities: other users are refused, nothing is touched
rm -f /var/mail/alice
printf 'Subject: nocaps\n\nbody\n' | (as_mail "" /tmp/mail.local -f sender alice) 2>/tmp/err
rc=$?
[ "$rc" = 69 ] || fail "without capabilities exited $rc"
[ "$(cat /tmp/err)" = "mail.local: alice: Permission denied" ] || fail "message: $(cat /tmp/err)"
[ ! -e /var/mail/alice ] || fail "/var/mail/alice was created"
ok "without CAP_SETUID+CAP_SETGID it refuses other users"

[ "$failures" = 0 ] || { echo "$failures failures"; exit 1; }
