#!/bin/bash
# sandbox.sh ETCDIR MAKEMAP -- COMMAND...
#
# Runs COMMAND in the surroundings the golden files were captured in (the
# sendmail 8.17 oracle's): private mount/UTS/network namespaces, hostname
# oracle.example.org, /etc/hosts with "127.0.0.1 oracle.example.org oracle
# localhost", only loopback up, DNS pointed at 127.0.0.1 where nothing
# listens (lookups fail at once), /etc/passwd and /etc/group from the
# oracle's Debian root, /etc/mail and /etc/aliases replaced by a
# temporary copy of ETCDIR/mail and ETCDIR/aliases in which MAKEMAP has
# compiled the access map, and a load average of 0 (/proc/loadavg).
# Needs root (unshare).
set -euo pipefail
etc=$(cd "$1" && pwd); makemap=$(readlink -f "$2"); shift 2
[ "${1:-}" = "--" ] && shift
export SANDBOX_ETC="$etc" SANDBOX_MAKEMAP="$makemap"
exec unshare --mount --uts --net --ipc --propagation private -- bash -c '
  set -e
  hostname oracle.example.org
  ip link set lo up 2>/dev/null || true
  t=$(mktemp -d); mount -t tmpfs tmpfs "$t"
  printf "127.0.0.1\toracle.example.org oracle localhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" > "$t/hosts"
  printf "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n" > "$t/resolv.conf"
  mount --bind "$t/hosts" /etc/hosts
  mount --bind "$t/resolv.conf" /etc/resolv.conf
  # a load average of 0: QueueLA (8 per CPU) would otherwise queue
  # instead of delivering, and RefuseLA refuse connections, on a busy
  # machine; the load-limit tests bind their own file over this one
  # (the real one stays readable for benchmarks: $SANDBOX_MACHINE_LOADAVG)
  : > "$t/machine-loadavg"
  mount --bind /proc/loadavg "$t/machine-loadavg"
  export SANDBOX_MACHINE_LOADAVG="$t/machine-loadavg"
  printf "0.00 0.00 0.00 1/100 1\n" > "$t/loadavg"
  mount --bind "$t/loadavg" /proc/loadavg
  # the user database the golden files were captured with
  mount --bind "$SANDBOX_ETC/../passwd" /etc/passwd
  mount --bind "$SANDBOX_ETC/../group" /etc/group
  mkdir -p "$t/mail" /etc/mail
  cp -a "$SANDBOX_ETC"/mail/. "$t/mail/"
  if [ -f "$SANDBOX_ETC/aliases" ]; then cp "$SANDBOX_ETC/aliases" "$t/aliases"; else : > "$t/aliases"; fi
  mount --bind "$t/mail" /etc/mail
  [ -e /etc/aliases ] || : > /etc/aliases
  mount --bind "$t/aliases" /etc/aliases
  # the queue directories the configurations name
  mkdir -p "$t/spool/mqueue" "$t/spool/mqueue-client"
  mkdir -p /var/spool && mount --bind "$t/spool" /var/spool
  # the oracle has no SASL mechanism plugins (libsasl2-modules): hide ours
  for d in /usr/lib/*/sasl2; do if [ -d "$d" ]; then mount -t tmpfs tmpfs "$d"; fi; done
  if [ -f /etc/mail/access ]; then "$SANDBOX_MAKEMAP" hash /etc/mail/access < /etc/mail/access; fi
  cd /
  exec "$@"' sandbox "$@"
