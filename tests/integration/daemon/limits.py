#!/usr/bin/python3
"""What a client can make sm-mta spend is bounded (timing limits).

Run inside the golden sandbox (root, Debian's sendmail.cf, which sets
BadRcptThrottle=3).  ConnectionRateThrottle=2 spreads a burst of six
connections over at least two seconds; after three bad recipients every
further RCPT waits a second (BadRcptThrottle); a client that sends
nothing is dropped when Timeout.command ends; a client that never ends
its command line is dropped at the line limit or the timeout, not kept
reading forever.  (Reply texts of the limits are checked against
sendmail 8.17.1 in tests/integration/smtpd/cases/limits.in and
headers-too-large.in.)
"""
import socket
import sys
import time

SM_MTA = sys.argv[1]
from common import check, exit_status, give_to_daemon, start_mta, stop_mta as stop


def start(*opts):
    # settle: let the probe's second of the rate window pass
    return start_mta(SM_MTA, *opts, settle=1.2)


def reply(f):
    while True:
        line = f.readline()
        if not line or line[3:4] != b"-":
            return line


def main():
    give_to_daemon()

    proc = start("-O", "ConnectionRateThrottle=2", "-O", "Timeout.command=3s")
    t0 = time.time()
    socks = [socket.create_connection(("127.0.0.1", 25), timeout=10) for _ in range(6)]
    for s in socks:
        s.recv(512)
    took = time.time() - t0
    check(took >= 1.9, "ConnectionRateThrottle=2: six connections greeted over %.1f s (>= 2)" % took)
    for s in socks:
        s.close()

    s = socket.create_connection(("127.0.0.1", 25), timeout=10)
    f = s.makefile("rb")
    reply(f)
    for cmd in (b"HELO client.example.com\r\n", b"MAIL FROM:<root@oracle.example.org>\r\n"):
        s.sendall(cmd)
        reply(f)
    times = []
    for i in range(6):
        t = time.time()
        s.sendall(b"RCPT TO:<nosuchuser%d@oracle.example.org>\r\n" % i)
        r = reply(f)
        times.append(time.time() - t)
        check(r.startswith(b"550 5.1.1"), "bad recipient %d refused" % i)
    check(max(times[:3]) < 0.5 and min(times[3:]) >= 0.9,
          "BadRcptThrottle=3: RCPTs after the third bad one wait a second (%s)" %
          ", ".join("%.1f" % t for t in times))
    s.close()

    s = socket.create_connection(("127.0.0.1", 25), timeout=10)
    s.recv(512)
    t = time.time()
    data = s.recv(512)
    check(data == b"" and 2.5 <= time.time() - t <= 6,
          "an idle client is dropped after Timeout.command (%.1f s)" % (time.time() - t))
    s.close()

    s = socket.create_connection(("127.0.0.1", 25), timeout=10)
    s.recv(512)
    s.sendall(b"HELO " + b"x" * 5000)
    r = s.recv(512)
    check(r.startswith(b"500 5.5.0 Command too long") or r == b"",
          "an endless command line is cut off: %r" % r[:40])
    s.close()
    stop(proc)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
