#!/usr/bin/python3
"""Order of the system calls of one queue commit, seen by strace.

Runs queue-writer under `strace -f` and checks: the df is fsynced before
the tf is, the tf is fsynced before it is renamed to qf, the directory
is fsynced after the rename, and "queued ID" is written to stdout only
after that.  Exit 77 (skip) without strace."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

writer = sys.argv[1]
if shutil.which("strace") is None:
    print("strace not installed: skipped")
    sys.exit(77)
tmp = tempfile.mkdtemp()
try:
    qdir = os.path.join(tmp, "mqueue")
    os.mkdir(qdir)
    trace = os.path.join(tmp, "trace")
    run = subprocess.run(["strace", "-f", "-qq", "-o", trace, "-s", "256",
                          "-e", "trace=fsync,fdatasync,rename,renameat,renameat2,openat,write",
                          writer, qdir], capture_output=True, text=True,
                         # LeakSanitizer cannot run under ptrace
                         env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    if run.returncode != 0 and re.search(r"strace: .*ptrace.*not permitted", run.stderr, re.I):
        print("strace cannot trace here: skipped\n" + run.stderr)
        sys.exit(77)
    if run.returncode != 0:
        print("queue-writer failed:", run.stderr)
        sys.exit(1)
    qid = run.stdout.split()[1]
    lines = [re.sub(r"^\d+ +", "", l) for l in open(trace).read().splitlines()]
finally:
    shutil.rmtree(tmp)

fds = {}      # fd -> path it was opened for, at the time
events = []   # (what, path)
for l in lines:
    m = re.match(r'openat\(AT_FDCWD, "([^"]*)", [^)]*\)\s+= (\d+)', l)
    if m:
        fds[m.group(2)] = m.group(1)
        continue
    m = re.match(r'f(?:data)?sync\((\d+)\)\s+= 0', l)
    if m:
        events.append(("fsync", fds.get(m.group(1), "?")))
        continue
    m = re.match(r'rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]*)", (?:AT_FDCWD, )?"([^"]*)"', l)
    if m:
        events.append(("rename", m.group(1) + " -> " + m.group(2)))
        continue
    m = re.match(r'write\(1, "queued ', l)
    if m:
        events.append(("report", ""))

def index(what, path):
    for i, (w, p) in enumerate(events):
        if w == what and p == path:
            return i
    print("missing %s %s in:" % (what, path))
    for e in events:
        print("  ", *e)
    sys.exit(1)

df = index("fsync", os.path.join(qdir, "df" + qid))
tf = index("fsync", os.path.join(qdir, "tf" + qid))
rn = index("rename", "%s/tf%s -> %s/qf%s" % (qdir, qid, qdir, qid))
dr = index("fsync", qdir)
rp = index("report", "")
for e in events:
    print(*e)
if not df < tf < rn < dr < rp:
    print("wrong order: df fsync %d, tf fsync %d, rename %d, dir fsync %d, report %d"
          % (df, tf, rn, dr, rp))
    sys.exit(1)
print("order ok: df fsync < tf fsync < rename < directory fsync < report")
