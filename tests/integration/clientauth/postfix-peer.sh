#!/bin/bash
# postfix-peer.sh start DIR PFROOT TLSDIR [in-place] | stop DIR
#
# Postfix as an AUTH server in the caller's network namespace: the
# Debian 12 root that ../../../../shared/tools/peer-mta set up (PFROOT,
# read-only) under an overlay in DIR (with "in-place": PFROOT itself, a
# throwaway copy), run with `postfix start` in a chroot (no systemd).  It listens on port 25 of every address as mx.peer.test,
# offers STARTTLS (TLSDIR/srv.pem, srv.key) and, after it, AUTH PLAIN LOGIN
# over Cyrus SASL with a sasldb (alice / s3cret, realm mx.peer.test; the
# SASL plugins are the host's or $PLUGINS, as the root has only libsasldb;
# $SASLDB, when set, is that sasldb made beforehand by saslpasswd2), and holds
# every message it accepts (peer-mta's check_recipient_access static:HOLD).
# Its log goes to DIR/root/var/log/postfix.log.  Needs root.
# `postfix-peer.sh held DIR` prints "held: SUBJECT" for each message in
# Postfix's hold queue.
set -euo pipefail
cmd=$1 dir=$2
ov=$dir/root
[ -L "$ov" ] && ov=$(readlink "$ov")
if [ "$cmd" = held ]; then
	for id in $(chroot "$ov" postqueue -j | sed -n 's/.*"queue_name": "hold", "queue_id": "\([0-9A-F]*\)".*/\1/p'); do
		chroot "$ov" postcat -hq "$id" | sed -n 's/^Subject: /held: /p'
	done
	exit 0
fi
if [ "$cmd" = stop ]; then
	chroot "$ov" /usr/sbin/postfix stop >/dev/null 2>&1 || true
	for _ in $(seq 50); do
		[ -e "$ov/var/spool/postfix/pid/master.pid" ] || break
		kill -0 "$(tr -d ' ' <"$ov/var/spool/postfix/pid/master.pid")" 2>/dev/null || break
		sleep 0.1
	done
	umount -l "$ov/dev" "$ov/proc" 2>/dev/null || true
	[ -L "$dir/root" ] || umount -l "$ov" 2>/dev/null || true
	exit 0
fi
pfroot=$3 tls=$4
mkdir -p "$dir"
if [ "${5:-}" = in-place ]; then
	ov=$pfroot
	ln -s "$ov" "$dir/root"
else
	mkdir -p "$dir/upper" "$dir/work" "$ov"
	mount -t overlay overlay -o "lowerdir=$pfroot,upperdir=$dir/upper,workdir=$dir/work" "$ov"
fi
mount --rbind /dev "$ov/dev"
mount -t proc proc "$ov/proc"
cp -a "${PLUGINS:-/usr/lib/x86_64-linux-gnu/sasl2}/." "$ov/usr/lib/x86_64-linux-gnu/sasl2/"
if [ -n "${SASLDB:-}" ]; then
	cp "$SASLDB" "$ov/etc/sasldb2"
else
	echo s3cret | saslpasswd2 -f "$ov/etc/sasldb2" -p -c -u mx.peer.test alice
fi
mkdir -p "$ov/etc/postfix/sasl" "$ov/etc/postfix/tls"
printf 'pwcheck_method: auxprop\nauxprop_plugin: sasldb\nsasldb_path: /etc/sasldb2\nmech_list: PLAIN LOGIN\n' \
	>"$ov/etc/postfix/sasl/smtpd.conf"
cp "$tls/srv.pem" "$tls/srv.key" "$ov/etc/postfix/tls/"
in_root() { chroot "$ov" "$@"; }
in_root chown root:postfix /etc/sasldb2
in_root chmod 640 /etc/sasldb2
in_root chmod 600 /etc/postfix/tls/srv.key
in_root postconf -e 'inet_interfaces = all' 'inet_protocols = ipv4' \
	'maillog_file = /var/log/postfix.log' \
	'smtpd_tls_cert_file = /etc/postfix/tls/srv.pem' 'smtpd_tls_key_file = /etc/postfix/tls/srv.key' \
	'smtpd_tls_security_level = may' 'smtpd_sasl_auth_enable = yes' \
	'smtpd_sasl_local_domain = mx.peer.test' 'smtpd_tls_auth_only = yes' \
	'smtpd_sasl_security_options = noanonymous'
# smtpd outside Postfix's chroot: it reads the sasldb and the plugins
in_root postconf -F 'smtp/inet/chroot = n'
# a copied root has lost its owners (sendmail-oracle's --file): restore them
if [ "${5:-}" = in-place ]; then
	in_root chown -R postfix:postfix /var/lib/postfix
	in_root postfix set-permissions >/dev/null 2>&1
fi
in_root postfix start >"$dir/start.log" 2>&1 || { cat "$dir/start.log" >&2; exit 1; }
for _ in $(seq 100); do
	(exec 3<>/dev/tcp/127.0.0.2/25) 2>/dev/null && exit 0
	sleep 0.1
done
echo "postfix-peer: Postfix does not listen on 127.0.0.2:25" >&2
cat "$ov/var/log/postfix.log" >&2 2>/dev/null
exit 1
