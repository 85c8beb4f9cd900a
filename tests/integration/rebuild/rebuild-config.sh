#!/bin/bash
# rebuild-config.sh TOOL SENDMAIL MAKEMAP MC_DIR: sdmail-rebuild-config on
# a scratch /etc/mail (a private mount namespace binds a temporary
# directory there, so the absolute paths of the generated sendmail.cf's K
# lines are the scratch files) with sdmail's own sendmail.mc/submit.mc,
# Debian's sendmail-cf library and GNU m4, the real makemap and newaliases
# (sendmail -bi):
#   a fresh directory gets its .cf files, the four maps and aliases.db;
#   a second run changes nothing; a newer access is rebuilt keeping the
#   old .db's owner and mode; a broken access, a broken .mc, an m4 error and
#   a missing sendmail-cf library fail (exit 1, a message on stderr) and
#   leave the old files untouched; -n only reports.
# Needs root (unshare, chown); skipped (77) without it or without m4 and
# the sendmail-cf library.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v m4 >/dev/null || { echo "SKIP: no m4"; exit 77; }
[ -f /usr/share/sendmail/cf/m4/cf.m4 ] || { echo "SKIP: no sendmail-cf in /usr/share/sendmail/cf"; exit 77; }
export TOOL=$(readlink -f "$1") SDMAIL_SENDMAIL=$(readlink -f "$2") SDMAIL_MAKEMAP=$(readlink -f "$3")
export SDMAIL_CF_DIR=/usr/share/sendmail/cf MC=$(cd "$4" && pwd)
PRALIASES=$(dirname "$SDMAIL_MAKEMAP")/praliases
GOLDEN=$(cd "$(dirname "$0")/../../golden/etc" && pwd)
export GOLDEN PRALIASES
T=$(mktemp -d /tmp/sdmail-rebuild.XXXXXX)
trap 'rm -rf "$T"' EXIT
export T
exec unshare -m --propagation private bash -c '
set -uo pipefail
mkdir -p "$T/etc" /etc/mail
mount --bind "$T/etc" /etc/mail
# the users the cf files name (smmsp, smmta), as in the golden sandbox
mount --bind "$GOLDEN/passwd" /etc/passwd
mount --bind "$GOLDEN/group" /etc/group
cd /etc/mail
failures=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run() { sh "$TOOL" "$@" >"$T/out" 2>"$T/err"; rc=$?; cat "$T/err"; }
stamp() { stat -c "%i %Y %s %U:%G %a" "$@"; }
dump() { "$SDMAIL_MAKEMAP" -u hash "$1"; }
old() { touch -d "-${2:-10} min" "$1"; }

cp "$MC/sendmail.mc" "$MC/submit.mc" .
printf "Connect:127.0.0.1\tRELAY\nFrom:spammer@example.com\tREJECT\n" >access
printf "example.net\tsmtp:[192.0.2.1]\n" >mailertable
printf "info@example.org\tjohn\n" >virtusertable
printf "john\tjohn@example.org\n" >genericstable
printf "localhost\n" >local-host-names
printf "postmaster: root\nwebmaster: john\n" >aliases
for f in *; do old "$f" 20; done

run
[ "$rc" = 0 ] && ok "fresh directory: exit 0" || fail "fresh directory: exit $rc"
for f in sendmail.cf submit.cf; do
	grep -q "^V10/Berkeley" "$f" && grep -q "^O QueueDirectory=" "$f" &&
		ok "$f made from its .mc" || fail "$f not made"
done
grep -q "^rebuilt sendmail.cf from sendmail.mc\$" <(sed "s/^sdmail-rebuild-config: //" "$T/err") &&
	ok "says what it rebuilt" || fail "no report of the rebuilt sendmail.cf"
for m in access mailertable virtusertable genericstable; do
	[ -f "$m.db" ] && ok "$m.db built" || fail "$m.db missing"
done
[ "$(dump access)" = "$(printf "connect:127.0.0.1\tRELAY\nfrom:spammer@example.com\tREJECT")" ] &&
	ok "access.db holds the text map (keys folded as makemap does)" || { fail "access.db content"; dump access; }
[ -f aliases.db ] && "$PRALIASES" -C sendmail.cf | grep -q "^webmaster:john\$" &&
	ok "aliases.db built by newaliases (praliases lists webmaster:john)" || { fail "aliases.db"; "$PRALIASES" -C sendmail.cf; }
ls -a | grep -q "^\.[a-z].*\.[A-Za-z0-9]\{6\}" && fail "temporary files left: $(ls -a)" || ok "no temporary files left"

before=$(stamp *)
run
[ "$rc" = 0 ] && [ ! -s "$T/err" ] && [ "$(stamp *)" = "$before" ] &&
	ok "second run: nothing to do, nothing touched" || fail "second run: rc=$rc"

chown smmta:smmsp access.db && chmod 0640 access.db
old access.db
printf "Connect:192.0.2.9\tREJECT\n" >>access
run
[ "$rc" = 0 ] && dump access | grep -q "^connect:192.0.2.9	REJECT\$" &&
	ok "a newer access is rebuilt with its new entry" || fail "access not rebuilt: rc=$rc"
[ "$(stat -c "%U:%G %a" access.db)" = "smmta:smmsp 640" ] &&
	ok "access.db keeps owner smmta:smmsp and mode 0640" || fail "access.db: $(stat -c "%U:%G %a" access.db)"
[ "$(stat -c %Y mailertable.db)" -lt "$(stat -c %Y access.db)" ] || [ "$(stat -c %i mailertable.db)" = "$(echo "$before" | sed -n 0p)" ] || true

old access.db
printf "onlykey\n" >>access
keep=$(stamp access.db; dump access)
run
[ "$rc" = 1 ] && grep -q "access.db not rebuilt: .*line 4: no RHS for LHS onlykey" "$T/err" &&
	ok "a bad access line: exit 1 and makemap'"'"'s message" || fail "bad access: rc=$rc"
[ "$(stamp access.db; dump access)" = "$keep" ] && ok "the old access.db stays in place" ||
	fail "access.db changed"
sed -i "\$d" access
old access 30

cp sendmail.cf "$T/cf.before"
old sendmail.cf
printf "LOCAL_CONFIG\nO NoSuchOption=1\n" >>sendmail.mc
run
[ "$rc" = 1 ] && grep -q "sendmail.cf not rebuilt: the new file has errors:" "$T/err" &&
	grep -q "^sendmail.cf: line [0-9]*: readcf: unknown option name NoSuchOption" "$T/err" &&
	ok "a .mc making a bad sendmail.cf: exit 1 and the error" || fail "bad .mc: rc=$rc"
cmp -s sendmail.cf "$T/cf.before" && ok "the old sendmail.cf stays in place" || fail "sendmail.cf changed"

cp "$MC/sendmail.mc" sendmail.mc
printf "include(\`/nonexistent/x.m4'"'"')\n" >>sendmail.mc
run
[ "$rc" = 1 ] && grep -q "sendmail.cf not rebuilt: m4 failed on sendmail.mc: .*nonexistent" "$T/err" &&
	cmp -s sendmail.cf "$T/cf.before" && ok "an m4 error: exit 1, old sendmail.cf kept" || fail "m4 error: rc=$rc"

cp "$MC/sendmail.mc" sendmail.mc
SDMAIL_CF_DIR=/nonexistent run
[ "$rc" = 1 ] && grep -q "sendmail.cf not rebuilt: no sendmail-cf library in /nonexistent" "$T/err" &&
	ok "no sendmail-cf library: exit 1 and why" || fail "no library: rc=$rc"

before=$(stamp sendmail.cf submit.cf aliases.db access.db)
printf "other: root\n" >>aliases
run -n
[ "$rc" = 1 ] && grep -q "sendmail.cf is older than sendmail.mc" "$T/err" &&
	grep -q "alias database older than /etc/mail/aliases" "$T/err" &&
	[ "$(stamp sendmail.cf submit.cf aliases.db access.db)" = "$before" ] &&
	cmp -s sendmail.cf "$T/cf.before" && ok "-n reports and changes nothing" || fail "-n: rc=$rc"

run
[ "$rc" = 0 ] && [ sendmail.cf -nt sendmail.mc ] && ! grep -q NoSuchOption sendmail.cf &&
	"$PRALIASES" -C sendmail.cf | grep -q "^other:root\$" &&
	ok "fixed sources: sendmail.cf and aliases rebuilt" || fail "final run: rc=$rc"
echo "$failures failed"
[ "$failures" = 0 ]'
