#!/bin/bash
# rpm.sh SOURCE_DIR BUILD_DIR
#
# The rpm: builds rpm/sdmail.spec with rpmbuild (Debian's rpm, so --nodeps
# and Debian's sendmail-cf path) from a tarball of the source tree, then
# checks the package as a Fedora administrator would see it: the setgid
# sendmail.sdmail, the queue directories, the units and sysusers/tmpfiles
# files, the alternatives registration with its slaves, the systemd
# scriptlets, the Provides, and rpmlint with rpm/sdmail.rpmlintrc: no
# errors, no warnings.  Skips (77) without rpmbuild or rpmlint.
set -u
src=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

for tool in rpmbuild rpmlint; do
	command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
W=$(mktemp -d /tmp/sdmail-system-rpm.XXXXXX)
trap 'rm -rf "$W"' EXIT
version=$(sed -n 's/^Version: *//p' "$src/rpm/sdmail.spec")

step "rpmbuild -bb"
mkdir -p "$W/SOURCES"
tar -C "$src" --exclude='./build*' --exclude=./.git --exclude='./obj-*' \
	--exclude=./debian/sdmail --exclude=./debian/.debhelper \
	--transform "s,^\\.,sdmail-$version," -czf "$W/SOURCES/sdmail-$version.tar.gz" .
cp "$src/sysusers.d/sdmail.conf" "$W/SOURCES/sdmail.sysusers"
if ! rpmbuild --nodeps --define "_topdir $W" --define 'sendmail_cf_dir /usr/share/sendmail/cf' \
	-bb "$src/rpm/sdmail.spec" >"$W/build.log" 2>&1; then
	fail "rpmbuild"; tail -40 "$W/build.log"; exit 1
fi
rpm=$(ls "$W"/RPMS/*/sdmail-"$version"-*.rpm)
ok "rpmbuild wrote ${rpm##*/}"

step "files and attributes"
files=$(rpm -qlvp "$rpm")
expect "setgid smmsp sendmail, queues, units, sysusers/tmpfiles" "$files" \
	'^-rwxr-sr-x +1 root +smmsp .* /usr/sbin/sendmail\.sdmail$' \
	'^drwxrws--- +2 smmsp +smmsp .* /var/spool/clientmqueue$' \
	'^drwx------ +2 smmta +smmta .* /var/spool/mqueue$' \
	' /usr/bin/mailq\.sdmail -> \.\./sbin/sendmail\.sdmail$' \
	' /usr/lib/sendmail\.sdmail -> \.\./sbin/sendmail\.sdmail$' \
	' /usr/lib/systemd/system/sm-client\.(service|socket|timer)$' \
	' /usr/lib/sysusers\.d/sdmail\.conf$' ' /usr/lib/tmpfiles\.d/sdmail\.conf$' \
	' /usr/lib/systemd/catalog/sdmail\.catalog$'
expect "the units run the installed binary" \
	"$(rpm2cpio "$rpm" | (cd "$W" && cpio -idm --quiet ./usr/lib/systemd/system/sm-client.service) &&
		grep '^ExecStart=' "$W/usr/lib/systemd/system/sm-client.service")" \
	'^ExecStart=/usr/sbin/sendmail -L sm-msp-queue -Ac -q$'
expect "/usr/sbin/sendmail, mailq and /usr/lib/sendmail are alternatives' ghosts" \
	"$(rpm -qp --state --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm")" \
	'^g /usr/sbin/sendmail$' '^g /usr/bin/mailq$' '^g /usr/lib/sendmail$'
expect "/etc/mail is configuration the upgrade keeps" \
	"$(rpm -qcp "$rpm")" '^/etc/mail/sendmail\.mc$' '^/etc/mail/submit\.cf$' '^/etc/mail/access$'

step "scriptlets"
scripts=$(rpm -qp --scripts "$rpm")
expect "alternatives mta with the usual slaves" "$scripts" \
	'alternatives --install /usr/sbin/sendmail mta /usr/sbin/sendmail\.sdmail [0-9]+' \
	'--slave /usr/bin/mailq mta-mailq /usr/bin/mailq\.sdmail' \
	'--slave /usr/bin/newaliases mta-newaliases /usr/bin/newaliases\.sdmail' \
	'--slave /usr/lib/sendmail mta-sendmail /usr/lib/sendmail\.sdmail' \
	'--slave /usr/share/man/man8/sendmail\.8[.a-z]* mta-sendmailman ' \
	'alternatives --remove mta /usr/sbin/sendmail\.sdmail'
expect "systemd scriptlets name the units" "$scripts" \
	'preset .*sm-client\.socket sm-client\.timer sm-client\.service' \
	'disable --now .*sm-client\.socket' 'try-restart .*sm-client\.socket' \
	'systemd-tmpfiles --create .*sdmail\.conf'
expect "Provides MTA, smtpdaemon, server(smtp)" "$(rpm -qp --provides "$rpm")" \
	'^MTA$' '^smtpdaemon$' '^server\(smtp\)$'

step "rpmlint"
lint=$(rpmlint -r "$src/rpm/sdmail.rpmlintrc" "$rpm" "$src/rpm/sdmail.spec" 2>&1)
expect "rpmlint: no errors, no warnings" "$lint" ' 0 errors, 0 warnings'
finish
