#!/usr/bin/python3
"""SMTP smuggling and bare line ends, against sm-mta over TCP.

Run inside the golden sandbox (root, Debian's sendmail.cf).  A message
whose body hides a second transaction behind a non-CRLF end-of-data
(`\\n.\\n`, `\\r.\\r`, `\\r\\n.\\n`) must never turn into two messages: the
data goes on to the real CRLF.CRLF and the message is refused with
"550 5.6.0 Bare CR or LF in message data not allowed" (sendmail 8.18's
answer; 8.17 would accept), nothing is queued.  Bare LF ends of command
lines are accepted as sendmail does; a clean message still goes through.
"""
import glob
import os
import socket
import sys

SM_MTA = sys.argv[1]
from common import check, exit_status, give_to_daemon, start_mta, stop_mta


def reply(f):
    lines = []
    while True:
        line = f.readline()
        lines.append(line)
        if not line or line[3:4] != b"-":
            return b"".join(lines)


def session(payload_after_data):
    s = socket.create_connection(("127.0.0.1", 25), timeout=10)
    f = s.makefile("rb")
    reply(f)
    out = []
    for cmd in (b"HELO client.example.com\r\n", b"MAIL FROM:<root@oracle.example.org>\r\n",
                b"RCPT TO:<root@oracle.example.org>\r\n", b"DATA\r\n"):
        s.sendall(cmd)
        out.append(reply(f))
    s.sendall(payload_after_data)
    out.append(reply(f))
    s.sendall(b"QUIT\r\n")
    out.append(reply(f))
    s.close()
    return out


def queued():
    files = glob.glob("/var/spool/mqueue/qf*")
    for q in glob.glob("/var/spool/mqueue/[qd]f*"):
        os.unlink(q)
    return len(files)


def main():
    give_to_daemon()
    proc = start_mta(SM_MTA)
    queued()

    smuggled = (b"MAIL FROM:<admin@example.net>\r\nRCPT TO:<root@oracle.example.org>\r\n"
                b"DATA\r\nSubject: smuggled\r\n\r\nsecond\r\n")
    for name, sep in (("LF.LF", b"\n.\n"), ("CR.CR", b"\r.\r"), ("CRLF.LF", b"\r\n.\n"),
                      ("LF.CRLF", b"\n.\r\n")):
        out = session(b"Subject: first\r\n\r\nfirst" + sep + smuggled + b".\r\n")
        check(out[4].startswith(b"550 5.6.0 Bare CR or LF in message data not allowed"),
              "%s: the message is refused at the real end of data: %r" % (name, out[4]))
        check(out[5].startswith(b"221 "), "%s: the next command is QUIT's (nothing smuggled)" % name)
        check(queued() == 0, "%s: nothing queued" % name)

    out = session(b"Subject: clean\r\n\r\nline one\r\n..dot-stuffed\r\n.\r\n")
    check(out[4].startswith(b"250 2.0.0"), "a clean message is accepted: %r" % out[4])
    check(queued() == 1, "and queued")

    stop_mta(proc)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
