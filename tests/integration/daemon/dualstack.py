#!/usr/bin/python3
"""An IPv4 client of a dual-stack socket is an IPv4 client.

Run inside the golden sandbox (root, Debian's sendmail.cf).  systemd's
ListenStream=25 is one IPv6 socket that also takes IPv4 connections, which
then arrive as ::ffff:127.0.0.1.  sm-mta gets such a socket by name (smtp)
the way systemd passes it; a client connecting to 127.0.0.1 must be
[127.0.0.1] in the log and the Received header, and Connect:127.0.0.1 in
the access map must apply to it, as with sendmail's own IPv4 daemon.
"""
import glob
import os
import smtplib
import socket
import shutil
import subprocess
import sys
import tempfile
import time

from common import check, exit_status, give_to_daemon, stop_mta

SM_MTA = sys.argv[1]


def main():
    give_to_daemon()
    work = tempfile.mkdtemp(prefix="sm-mta-dual.")
    os.chmod(work, 0o755)
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", 10025))
    s.listen(16)

    def child_setup():
        os.dup2(s.fileno(), 3)
        os.execve(SM_MTA, [SM_MTA, "-bD", "-odq", "-O", "LogLevel=9"],
                  dict(os.environ, LISTEN_FDS="1", LISTEN_FDNAMES="smtp",
                       LISTEN_PID=str(os.getpid())))

    err = open(os.path.join(work, "stderr"), "w+")
    proc = subprocess.Popen(["/bin/false"], stderr=err, pass_fds=[s.fileno()],
                            preexec_fn=child_setup)
    c = None
    for _ in range(100):
        try:
            c = smtplib.SMTP("127.0.0.1", 10025, local_hostname="client.example.com", timeout=5)
            break
        except OSError:
            proc.poll()
            if proc.returncode is not None:
                break
            time.sleep(0.1)
    check(c is not None, "sm-mta answers on the dual-stack socket")
    if c is not None:
        refused = c.sendmail("root@oracle.example.org", ["root@oracle.example.org"],
                             "Subject: dual stack\r\n\r\nhi\r\n")
        check(refused == {}, "the message is taken")
        c.quit()
    qf = "".join(open(f, errors="replace").read() for f in glob.glob("/var/spool/mqueue/qf*"))
    check("$_oracle.example.org [127.0.0.1]\n" in qf, "the qf's $_ is oracle.example.org [127.0.0.1]")
    check("Received: from client.example.com (oracle.example.org [127.0.0.1])" in qf,
          "Received names [127.0.0.1]")
    check("ffff" not in qf, "the queue file has no v4-mapped address")
    stop_mta(proc)
    err.seek(0)
    log = err.read()
    print("--- log:\n" + log)
    check("relay=oracle.example.org [127.0.0.1]" in log, "the from= line says [127.0.0.1]")
    check("ffff" not in log, "no v4-mapped address in the log")
    err.close()
    shutil.rmtree(work, ignore_errors=True)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
