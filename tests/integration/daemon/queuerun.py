#!/usr/bin/python3
"""MaxQueueChildren: how many queue runs sm-mta has going on at once.

Run inside the golden sandbox (root, Debian's sendmail.cf).  The next hop
is a real SMTP server of this script's on 127.0.0.2:25 that takes a
second and a half before it answers each message's data and counts the
connections open at once; sm-mta (DeliveryMode queue, a queue run every
second) has six messages for it in its queue.  Each queue run is one
process delivering one entry after the other over one connection, so the
connections open at once are the runs going on at once.  sendmail 8.17.1
was seen (capture-queuerun.sh, expected/queuerun.txt) starting a run
every interval while the earlier ones go on, up to MaxQueueChildren
(three runs delivering with 3, whatever MaxRunnersPerQueue, one with 1),
skipping the rest without a word: the connections open at once here are
never more than MaxQueueChildren, and more than one where sendmail had
more than one run delivering.  Every message arrives exactly once and
the queue is empty at the end.
"""
import os
import re
import smtplib
import socket
import subprocess
import sys
import threading
import time

SM_MTA = sys.argv[1]
from common import check, exit_status, give_to_daemon, start_mta, stop_mta

DATA_DELAY = 1.5
HERE = os.path.dirname(os.path.abspath(__file__))


def oracle_runs():
    """(MaxQueueChildren, MaxRunnersPerQueue) -> runs that delivered, for -bd"""
    runs = {}
    with open(os.path.join(HERE, "expected", "queuerun.txt")) as f:
        for line in f:
            m = re.match(r"sendmail -bd \S+ MaxQueueChildren=(\d+) MaxRunnersPerQueue=(\d+): "
                         r"\d+ sent by (\d+) runs", line)
            if m:
                runs[(int(m.group(1)), int(m.group(2)))] = int(m.group(3))
    return runs


class NextHop:
    """A small SMTP server: one thread per connection."""

    def __init__(self):
        self.lock = threading.Lock()
        self.open = self.most = 0
        self.subjects = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.2", 25))
        self.sock.listen(20)
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def count(self, n):
        with self.lock:
            self.open += n
            self.most = max(self.most, self.open)

    def session(self, conn):
        self.count(1)
        f = conn.makefile("rb")
        try:
            conn.sendall(b"220 nexthop.test ESMTP\r\n")
            for line in f:
                verb = line[:4].upper()
                if verb == b"EHLO":
                    conn.sendall(b"250-nexthop.test\r\n250 PIPELINING\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    self.message(f)
                    time.sleep(DATA_DELAY)
                    conn.sendall(b"250 2.0.0 taken\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 2.0.0 bye\r\n")
                    break
                else:
                    conn.sendall(b"250 2.0.0 ok\r\n")
        finally:
            self.count(-1)
            conn.close()

    def message(self, f):
        for line in f:
            if line in (b".\r\n", b".\n"):
                return
            if line.lower().startswith(b"subject: "):
                with self.lock:
                    self.subjects.append(line[9:].strip().decode())


def queued():
    return sorted(n for n in os.listdir("/var/spool/mqueue") if n.startswith("qf"))


def submit(n):
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
    for i in range(n):
        c.sendmail("root@oracle.example.org", ["u%d@[127.0.0.2]" % i],
                   "Subject: m%d\r\n\r\nbody\r\n" % i)
    c.quit()


def run(hop, max_children, max_runners, sendmail_runs):
    with hop.lock:
        hop.most = 0
        hop.subjects = []
    proc = start_mta(SM_MTA, "-q1s", "-O", "MaxQueueChildren=%d" % max_children,
                     "-O", "MaxRunnersPerQueue=%d" % max_runners,
                     stderr=subprocess.DEVNULL)  # its log, without a journal
    submit(6)
    until = time.time() + 40
    while time.time() < until and (len(hop.subjects) < 6 or queued()):
        time.sleep(0.2)
    time.sleep(1.5)  # a duplicate would come in now
    stop_mta(proc)
    what = "MaxQueueChildren=%d MaxRunnersPerQueue=%d" % (max_children, max_runners)
    check(sorted(hop.subjects) == ["m%d" % i for i in range(6)],
          "%s: each message once (%s)" % (what, sorted(hop.subjects)))
    check(queued() == [], "%s: the queue is empty (%s)" % (what, queued()))
    check(1 <= hop.most <= max_children and (hop.most > 1) == (sendmail_runs > 1),
          "%s: %d connections at once (sendmail: %d runs delivering)" %
          (what, hop.most, sendmail_runs))


def main():
    give_to_daemon()
    hop = NextHop()
    for limits, runs in sorted(oracle_runs().items()):
        run(hop, *limits, runs)
    return exit_status()


sys.exit(main())
