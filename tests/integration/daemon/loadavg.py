#!/usr/bin/python3
"""RefuseLA and DelayLA: sm-mta reads the load average where sendmail does.

Run inside the golden sandbox (root, Debian's sendmail.cf: MTA-v4 on port
25, MSP-v4 on 587) with a standalone journald (run-loadavg.sh compares
the log lines with sendmail 8.17.1's).  /proc/loadavg is a file of ours
bind-mounted over it in this private mount namespace.  At 99, over the
default RefuseLA (12 per CPU), no connection is greeted and the process
title says why; once the load is 1 the waiting client is greeted within
the five seconds of a refusal.  At 7 with DelayLA=5 the daemon takes
connections one a second.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

SM_MTA = sys.argv[1]
from common import check, exit_status, give_to_daemon, start_mta, stop_mta

work = tempfile.mkdtemp(prefix="sm-mta-loadavg.")
os.chmod(work, 0o755)
LOADAVG = os.path.join(work, "loadavg")


def load(value):
    with open(LOADAVG, "w") as f:
        f.write("%s 1.00 1.00 1/100 1234\n" % value)


def title(proc):
    with open("/proc/%d/cmdline" % proc.pid, "rb") as f:
        return f.read().split(b"\0")[0].decode()


def greeting(sock):
    try:
        return sock.recv(512)
    except socket.timeout:
        return b""


def refuse():
    load("99.00")
    proc = start_mta(SM_MTA, settle=1.5)
    check(title(proc) == "sendmail: rejecting connections on daemon MSP-v4: load average: 99",
          "RefuseLA: the process title says so (%r)" % title(proc))
    s = socket.create_connection(("127.0.0.1", 25), timeout=3)
    check(greeting(s) == b"", "RefuseLA: a client is not greeted at load average 99")
    load("1.00")
    s.settimeout(8)
    check(greeting(s).startswith(b"220 "), "RefuseLA: greeted once the load is 1")
    s.close()
    stop_mta(proc)


def delay():
    load("7.00")
    proc = start_mta(SM_MTA, "-O", "DelayLA=5", settle=1.5)
    t0 = time.time()
    socks = [socket.create_connection(("127.0.0.1", 25), timeout=10) for _ in range(3)]
    for s in socks:
        check(greeting(s).startswith(b"220 "), "DelayLA: greeted")
    took = time.time() - t0
    check(took >= 1.9, "DelayLA: three connections greeted over %.1f s (>= 2)" % took)
    for s in socks:
        s.close()
    stop_mta(proc)


def main():
    give_to_daemon()
    load("1.00")
    subprocess.run(["mount", "--bind", LOADAVG, "/proc/loadavg"], check=True)
    try:
        refuse()
        delay()
    finally:
        subprocess.run(["umount", "/proc/loadavg"])
    return exit_status()


sys.exit(main())
