#!/usr/bin/python3
"""sm-mta's life under a service manager, checked from outside.

Run inside the golden sandbox (tests/golden/sandbox.sh: root, Debian's
sendmail.cf, hostname oracle.example.org).  Plays systemd's part the way
systemd does it: listening sockets passed with LISTEN_FDS/LISTEN_FDNAMES
(in the reverse of the configuration's order, on other ports than the
configuration names, so only the names can match them) and a notify
socket that collects sm-mta's READY/STATUS/RELOADING/STOPPING messages.
Then: real clients (Python's smtplib) deliver into the queue, the MSA
port demands AUTH as Debian's M=Ea says, MaxDaemonChildren holds back a
second client, SIGHUP with a broken configuration keeps the running
one, SIGHUP with a good one takes it, SIGTERM stops with STOPPING=1.
"""
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

SM_MTA = sys.argv[1]
from common import check, exit_status, give_to_daemon


def listener(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    return s


class Notify:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        os.chmod(path, 0o777)  # systemd's is writable for the unit's user
        self.sock.settimeout(0.2)
        self.messages = []

    def drain(self):
        while True:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except socket.timeout:
                return

    def wait_for(self, text, seconds=10):
        end = time.time() + seconds
        while time.time() < end:
            self.drain()
            if any(text in m for m in self.messages):
                return True
        return False


def greeting(port, timeout=3.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        return s, s.recv(1024).decode()
    except socket.timeout:
        return s, ""


def main():
    work = tempfile.mkdtemp(prefix="sm-mta-life.")
    os.chmod(work, 0o755)
    cf = os.path.join(work, "sendmail.cf")
    shutil.copy("/etc/mail/sendmail.cf", cf)
    os.chmod(cf, 0o644)
    smmta = give_to_daemon()

    notify = Notify(os.path.join(work, "notify"))
    submission, smtp = listener(10587), listener(10025)
    # systemd's order is the unit's, not the configuration's: pass
    # "submission" first
    fds = [submission.fileno(), smtp.fileno()]

    def child_setup():
        for i, fd in enumerate(fds):
            os.dup2(fd, 3 + i)
        os.environ["LISTEN_PID"] = str(os.getpid())
        os.execve(SM_MTA, [SM_MTA, "-bD", "-C", cf, "-odq", "-O", "MaxDaemonChildren=1"],
                  dict(env, LISTEN_PID=str(os.getpid())))

    env = dict(os.environ, LISTEN_FDS="2", LISTEN_FDNAMES="submission:smtp",
               NOTIFY_SOCKET=notify.sock.getsockname())
    err = open(os.path.join(work, "stderr"), "w+")
    # the child becomes sm-mta; LISTEN_PID must name it, hence the exec
    # from a preexec hook (what systemd does between fork and exec)
    proc = subprocess.Popen(["/bin/false"], env=env, stderr=err, pass_fds=fds,
                            preexec_fn=child_setup)
    check(notify.wait_for("READY=1"), "READY=1 once the sockets and the configuration are good")
    check(any(m.startswith("STATUS=") or "\nSTATUS=" in m for m in notify.messages),
          "STATUS= sent")

    status = open(f"/proc/{proc.pid}/status").read()
    uid_line = [l for l in status.splitlines() if l.startswith("Uid:")][0]
    check(uid_line.split()[1:] == [str(smmta.pw_uid)] * 4,
          "runs as smmta, not root (%s)" % uid_line)
    title = open(f"/proc/{proc.pid}/cmdline", "rb").read().split(b"\0")[0]
    check(title == b"sendmail: accepting connections", "process title %r" % title)
    listening = open("/proc/net/tcp").read()
    check(":0019 " not in listening and ":024B " not in listening,
          "nothing bound on 25/587: both came from the service manager")

    # the socket named smtp is the MTA: anybody may send
    c = smtplib.SMTP("127.0.0.1", 10025, local_hostname="client.example.com")
    code, ehlo = c.ehlo()
    check(code == 250 and b"ETRN" in ehlo, "smtp socket speaks for the MTA entry (ETRN offered)")
    refused = c.sendmail("root@oracle.example.org", ["root@oracle.example.org"],
                         "Subject: lifecycle\r\n\r\nfrom smtplib\r\n")
    check(refused == {}, "smtplib's message accepted")
    c.quit()
    time.sleep(0.3)
    queued = [f for f in os.listdir("/var/spool/mqueue") if f.startswith("qf")]
    check(len(queued) == 1, "one qf file in the queue (%s)" % queued)

    # the socket named submission is the MSA (M=Ea): no ETRN, AUTH required
    c = smtplib.SMTP("127.0.0.1", 10587, local_hostname="client.example.com")
    code, ehlo = c.ehlo()
    check(b"ETRN" not in ehlo, "submission socket speaks for the MSA entry (no ETRN)")
    code, text = c.mail("root@oracle.example.org")
    check(code == 530 and b"Authentication required" in text, "MSA wants AUTH: %d %s" % (code, text))
    c.quit()
    time.sleep(0.3)

    # MaxDaemonChildren=1: a second client waits until the first leaves
    first, g1 = greeting(10025)
    check(g1.startswith("220 "), "first client greeted")
    second, g2 = greeting(10025, timeout=1.5)
    check(g2 == "", "second client not greeted while the first session runs")
    first.close()
    second.settimeout(5)
    g2 = second.recv(1024).decode()
    check(g2.startswith("220 "), "second client greeted once the first left")
    second.close()

    # SIGHUP with a broken configuration: the running one stays
    good = open(cf).read()
    with open(cf, "a") as f:
        f.write("Oops this is not a configuration line\nR$* $#error\n")
    notify.messages.clear()
    os.kill(proc.pid, signal.SIGHUP)
    check(notify.wait_for("RELOADING=1") and notify.wait_for("READY=1"),
          "RELOADING=1 then READY=1 around the reload")
    err.flush()
    err.seek(0)
    check("keeping the running one" in err.read(), "the broken configuration is reported")
    s, g = greeting(10025)
    s.close()
    check(g.startswith("220 oracle.example.org ESMTP Sendmail"), "still serving the old configuration")

    # SIGHUP with a good new one: it is used
    with open(cf, "w") as f:
        f.write(good.replace("O SmtpGreetingMessage=$j Sendmail",
                             "O SmtpGreetingMessage=$j Reloaded"))
    os.kill(proc.pid, signal.SIGHUP)
    time.sleep(1)
    s, g = greeting(10025)
    s.close()
    check(g.startswith("220 oracle.example.org ESMTP Reloaded"), "the new configuration is used: %r" % g)

    # STATUS= counts the queue too (counted at most every 5 seconds)
    time.sleep(5.2)
    notify.messages.clear()
    s, g = greeting(10025)
    s.close()
    check(notify.wait_for("1 queued", 5), "STATUS= shows the queued message: %s" %
          [m for m in notify.messages if "STATUS" in m][-1:])

    # SIGTERM: STOPPING=1 and a clean exit
    notify.messages.clear()
    os.kill(proc.pid, signal.SIGTERM)
    rc = proc.wait(timeout=40)
    check(notify.wait_for("STOPPING=1", 2), "STOPPING=1 on SIGTERM")
    check(rc == 0, "exit status 0 after SIGTERM (%d)" % rc)
    err.seek(0)
    print("--- sm-mta's stderr:\n" + err.read())
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
