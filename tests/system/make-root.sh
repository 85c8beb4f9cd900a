#!/bin/sh
# make-root.sh CACHE_DIR
#
# Makes CACHE_DIR/bookworm.tar.zst once: a minimal Debian 12 root with
# systemd as init (debootstrap from the host's Debian mirror) and the
# libraries the sdmail .deb depends on, so that installing it needs no
# network, the tools deb.sh's TLS and AUTH step uses (netbase, gnutls-bin,
# sasl2-bin, libsasl2-modules, m4), and the .debs of Debian's sendmail in
# /opt/sendmail-debs (not installed; deb.sh installs their sendmail-cf,
# the sdmail .deb's Recommends).  Tests running in parallel share the cache (flock).  Exits 0
# when the tarball is there, otherwise prints why and exits 77 (skip).
set -u
cache=$1
mkdir -p "$cache" || exit 77
exec 9>"$cache/.lock"
flock 9
tarball=$cache/bookworm.tar.zst
recipe=7	# bump when the root's contents change
if [ -s "$tarball" ] && [ "$(cat "$cache/recipe" 2>/dev/null)" = $recipe ]; then
	exit 0
fi
for tool in debootstrap zstd systemd-nspawn; do
	command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
	grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
	/etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || { echo "SKIP: no Debian mirror in the apt sources"; exit 77; }
root=$cache/root.new
rm -rf "$root"
if ! debootstrap --variant=minbase \
	--include=systemd,systemd-sysv,dbus,iproute2,procps,libtdb1,libgnutls30,libgnutls-dane0,libsystemd0,libsasl2-2,libcap2 \
	bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1; then
	echo "SKIP: debootstrap failed ($(tail -1 "$cache/debootstrap.log"))"
	rm -rf "$root"
	exit 77
fi
# What an administrator adds for TLS and AUTH (deb.sh): certtool, saslpasswd2
# and the PLAIN/LOGIN plugins, m4 for rebuilding sendmail.cf, netbase
# (/etc/services: sendmail.mc says Port=submission, Port=smtps)
if ! chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -qq -y \
	--no-install-recommends netbase m4 gnutls-bin sasl2-bin libsasl2-modules' >>"$cache/debootstrap.log" 2>&1; then
	echo "SKIP: installing the TLS and SASL tools failed ($(tail -1 "$cache/debootstrap.log"))"
	rm -rf "$root"
	exit 77
fi
# Debian's sendmail, not installed: its .debs for the test that replaces it
# (deb-replace.sh), fetched while the mirror is reachable
if ! chroot "$root" sh -c 'apt-get clean && apt-get update -qq && apt-get install -qq -d -y --no-install-recommends \
	sendmail-bin sendmail-cf && mkdir -p /opt/sendmail-debs &&
	mv /var/cache/apt/archives/*.deb /opt/sendmail-debs/' >>"$cache/debootstrap.log" 2>&1; then
	echo "SKIP: downloading Debian's sendmail failed ($(tail -1 "$cache/debootstrap.log"))"
	rm -rf "$root"
	exit 77
fi
echo sdmail-test > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 sdmail-test.example.org sdmail-test\n' > "$root/etc/hosts"
tar --numeric-owner -C "$root" --exclude='./var/cache/apt/*' --exclude='./var/lib/apt/lists/*' \
	-c . | zstd -q -3 > "$tarball.new" && mv "$tarball.new" "$tarball" && echo $recipe > "$cache/recipe"
rc=$?
rm -rf "$root"
exit $rc
