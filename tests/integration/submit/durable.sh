#!/bin/bash
# durable.sh SENDMAIL MAKEMAP
#
# The sendmail command says "taken" (exit 0) only for a message that is on
# disk: run under strace in the golden sandbox, a submission must fsync
# its df, fsync its tf, rename the tf to qf and fsync the queue directory
# — in that order — before it connects to the MTA (-odi) or exits (-odq).
# The same submissions run once more without strace, where a sanitizer
# build also checks them for leaks.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../..
. "$here/common.sh"
start_test "$@"
command -v strace >/dev/null || { echo "SKIP: no strace"; exit 77; }
work=$(mktemp -d /tmp/sdmail-durable.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
in_sandbox bash -c "
	printf 'Subject: durable\n\nbody\n' > $work/msg
	for mode in q i; do
		strace -f -qq -s 200 -o $work/trace.\$mode \
			-e trace=openat,fsync,fdatasync,rename,renameat,renameat2,connect,exit_group \
			env ASAN_OPTIONS=detect_leaks=0 $sendmail -od\$mode root < $work/msg
		echo \"rc.\$mode=\$?\" >> $work/rc
		# and once more without strace, so a sanitizer build checks for leaks
		$sendmail -od\$mode -v root < $work/msg > $work/plain.\$mode 2>&1
		echo \"rc.plain\$mode=\$?\" >> $work/rc
	done" || exit 1
/usr/bin/python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]
rcs = dict(l.strip().split("=") for l in open(work + "/rc"))
failures = 0
for mode in "qi":
    if rcs["rc.plain" + mode] != "0":
        print("FAIL: -od%s without strace exited %s:" % (mode, rcs["rc.plain" + mode]))
        print(open("%s/plain.%s" % (work, mode)).read())
        failures += 1
for mode in "qi":
    if rcs["rc." + mode] != "0":
        print("FAIL: -od%s exited %s" % (mode, rcs["rc." + mode])); failures += 1; continue
    fds, events = {}, []
    for l in open("%s/trace.%s" % (work, mode)):
        l = re.sub(r"^\d+ +", "", l.strip())
        m = re.match(r'openat\(AT_FDCWD, "([^"]*)", .*= (\d+)$', l)
        if m:
            fds[m.group(2)] = m.group(1); continue
        m = re.match(r'f(?:data)?sync\((\d+)\)\s+= 0', l)
        if m:
            events.append(("fsync", fds.get(m.group(1), "?"))); continue
        m = re.match(r'rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]*)", (?:AT_FDCWD, )?"([^"]*)"', l)
        if m:
            events.append(("rename", m.group(1) + " -> " + m.group(2))); continue
        if l.startswith("connect(") and "htons(25)" in l:
            events.append(("connect", "")); continue
        if l.startswith("exit_group("):
            events.append(("exit", ""))
    def find(pred):
        for i, e in enumerate(events):
            if pred(e):
                return i
        return None
    df = find(lambda e: e[0] == "fsync" and "/df" in e[1])
    tf = find(lambda e: e[0] == "fsync" and "/tf" in e[1])
    rn = find(lambda e: e[0] == "rename" and "/tf" in e[1] and "/qf" in e[1])
    dr = find(lambda e: e[0] == "fsync" and e[1].rstrip("/").endswith("mqueue-client"))
    end = find(lambda e: e[0] == "connect") if mode == "i" else find(lambda e: e[0] == "exit")
    order = [df, tf, rn, dr, end]
    if None in order or order != sorted(order):
        print("FAIL: -od%s: df fsync, tf fsync, rename, dir fsync, %s out of order %s in %s"
              % (mode, "connect" if mode == "i" else "exit", order, events))
        failures += 1
    else:
        print("ok: -od%s: durable before %s" % (mode, "the MTA is contacted" if mode == "i" else "exit"))
sys.exit(1 if failures else 0)
PY
