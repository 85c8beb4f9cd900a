#!/bin/sh
# fetch-sink.sh CACHE_DIR
#
# Makes Postfix's smtp-sink available as CACHE_DIR/root/usr/sbin/smtp-sink:
# the postfix .deb is downloaded once (`apt-get download`) and unpacked with
# dpkg-deb; nothing is installed.  Tests running in parallel share the cache
# (flock).  Exits 0 when smtp-sink can run here, otherwise prints why and
# exits 77 (meson's "skipped").
cache=$1
mkdir -p "$cache" || exit 77
exec 9>"$cache/.lock"
flock 9
if [ ! -x "$cache/root/usr/sbin/smtp-sink" ]; then
	if ! (cd "$cache" && rm -f postfix_*.deb &&
		apt-get download -q -o APT::Sandbox::User=root postfix) >"$cache/download.log" 2>&1; then
		echo "SKIP: postfix .deb not available ($(tail -1 "$cache/download.log"))"
		exit 77
	fi
	rm -rf "$cache/root" && dpkg-deb -x "$cache"/postfix_*.deb "$cache/root" || exit 77
fi
missing=$(LD_LIBRARY_PATH="$cache/root/usr/lib/postfix" ldd "$cache/root/usr/sbin/smtp-sink" 2>&1 |
	grep "not found")
if [ -n "$missing" ]; then
	echo "SKIP: smtp-sink cannot run here: $missing"
	exit 77
fi
exit 0
