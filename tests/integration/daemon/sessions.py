#!/usr/bin/python3
"""sm-mta's session processes serve one connection after another.

Run inside the golden sandbox (root, Debian's sendmail.cf and access map).
Connections one after the other are served by one session process; the
access map rebuilt with makemap between two of its sessions is read anew
by the second (a process that lives on must not answer from the map it
opened before); after a reload (SIGHUP) the next session gets a new
process; after POOL_MAX_SESSIONS (100) sessions a process is retired; a
session process killed while idle costs no connection; concurrent clients
get a process each.
"""
import os
import signal
import smtplib
import subprocess
import sys
import time

SM_MTA = sys.argv[1]
from common import check, exit_status, give_to_daemon, start_mta, stop_mta

TITLE = b"sendmail: server [127.0.0.1]"


DAEMON = None  # the sm-mta process: its session processes are its children


def parent_of(pid):
    for line in open("/proc/%s/status" % pid):
        if line.startswith("PPid:"):
            return int(line.split()[1])
    return 0


def server_pids():
    """The daemon's children serving a client (not a child of theirs, nor
    another test's sm-mta: the pid namespace is the machine's)."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            title = open("/proc/%s/cmdline" % d, "rb").read()
            if title.startswith(TITLE) and parent_of(d) == DAEMON:
                pids.append(int(d))
        except OSError:
            continue
    return pids


def wait_idle(pids):
    """Until the session processes say they wait for a connection: by then
    they have told the daemon that their session is over."""
    for _ in range(500):
        titles = []
        for pid in pids:
            try:
                titles.append(open("/proc/%d/cmdline" % pid, "rb").read())
            except OSError:
                titles.append(b"sendmail: waiting")
        if all(t.startswith(b"sendmail: waiting") for t in titles):
            return
        time.sleep(0.01)


def session(sender="root@oracle.example.org", keep=False):
    """One session: the MAIL reply and the pid of the process serving it."""
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com", timeout=10)
    c.ehlo()
    pids = server_pids()
    code, text = c.mail(sender)
    c.rset()
    if keep:
        return c, code, pids
    c.quit()
    wait_idle(pids)
    return code, pids


def rcpt_reply():
    """A RCPT's reply (Connect: entries of the access map answer there with
    delay_checks) and the pid of the process serving the session."""
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com", timeout=10)
    c.ehlo()
    pids = server_pids()
    c.mail("root@oracle.example.org")
    code, text = c.rcpt("root@oracle.example.org")
    c.quit()
    wait_idle(pids)
    return code, pids


def main():
    give_to_daemon()
    global DAEMON
    proc = start_mta(SM_MTA)
    DAEMON = proc.pid

    code1, pids1 = rcpt_reply()
    code2, pids2 = session()
    check(code1 == 250 and len(pids1) == 1, "first session: RCPT accepted (%d), one process %s"
          % (code1, pids1))
    check(pids1 == pids2, "the next connection is served by the same process (%s, %s)"
          % (pids1, pids2))

    with open("/etc/mail/access", "a") as f:
        f.write("Connect:127.0.0.1\tREJECT\n")
    subprocess.run([os.environ["SANDBOX_MAKEMAP"], "hash", "/etc/mail/access"],
                   stdin=open("/etc/mail/access"), check=True)
    give_to_daemon()
    code3, pids3 = rcpt_reply()
    check(pids3 == pids1, "the same process again (%s)" % pids3)
    check(code3 == 550, "the rebuilt access map is read by its next session: RCPT %d" % code3)
    with open("/etc/mail/access", "a") as f:
        f.write("Connect:127.0.0.1\tRELAY\n")
    subprocess.run([os.environ["SANDBOX_MAKEMAP"], "-r", "hash", "/etc/mail/access"],
                   stdin=open("/etc/mail/access"), check=True)
    give_to_daemon()

    proc.send_signal(signal.SIGHUP)
    for _ in range(1000):  # the idle process exits once the reload retired it
        if not os.path.exists("/proc/%d" % pids1[0]):
            break
        time.sleep(0.01)
    check(not os.path.exists("/proc/%d" % pids1[0]), "the old process is gone after the reload")
    code4, pids4 = session()
    check(code4 == 250 and len(pids4) == 1 and pids4 != pids1,
          "after a reload: a new process (%s, before %s)" % (pids4, pids1))

    # the process has served 1 session since the reload; 99 more, then it is retired
    seen = set(pids4)
    for _ in range(99):
        c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com", timeout=10)
        pids = server_pids()
        if not set(pids) <= seen:
            print("new process at session %d after the reload: %s" % (_ + 2, pids))
        seen.update(pids)
        c.quit()
        wait_idle(pids)
    code5, pids5 = session()
    check(len(seen) == 1 and pids5 and pids5[0] not in seen,
          "after 100 sessions a process is retired (%s, then %s)" % (sorted(seen), pids5))

    os.kill(pids5[0], signal.SIGKILL)
    time.sleep(0.2)
    code6, pids6 = session()
    check(code6 == 250 and pids6 and pids6 != pids5,
          "an idle session process killed: the next client is served (%d, %s)" % (code6, pids6))

    a, codea, pa = session(keep=True)
    b, codeb, pb = session(keep=True)
    check(codea == 250 and codeb == 250 and len(pb) == 2,
          "two clients at once: two processes (%s)" % pb)
    a.quit()
    b.quit()
    stop_mta(proc)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
