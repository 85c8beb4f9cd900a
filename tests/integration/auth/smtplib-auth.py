#!/usr/bin/python3
"""smtplib-auth.py SENDMAIL

A real SMTP client, Python's smtplib, authenticates to sdmail's
`SENDMAIL -bs -Am` (over a socketpair) with each mechanism libsasl2
offers here: login() with PLAIN, LOGIN and CRAM-MD5, right and wrong
passwords, then relays a message as the authenticated user.  Run inside
auth-drive.sh --exec (sasldb user alice / s3cret) with
AuthMechanisms=LOGIN PLAIN CRAM-MD5 DIGEST-MD5 in sendmail.cf.
"""
import smtplib
import socket
import subprocess
import sys

sendmail = sys.argv[1]
failures = 0


def session():
    ours, theirs = socket.socketpair()
    proc = subprocess.Popen([sendmail, "-bs", "-Am", "-odq"], stdin=theirs, stdout=theirs)
    theirs.close()
    s = smtplib.SMTP()
    s.sock = ours
    s.file = None
    code, _ = s.getreply()
    assert code == 220, code
    s.ehlo("client.example.com")
    return s, proc


def check(what, cond):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures += 1


def attempt(mech, password):
    s, proc = session()
    advertised = s.esmtp_features.get("auth", "").split()
    check(f"{mech} advertised", mech in advertised)
    s.user, s.password = "alice", password
    authobject = {"PLAIN": s.auth_plain, "LOGIN": s.auth_login, "CRAM-MD5": s.auth_cram_md5}[mech]
    try:
        code, text = s.auth(mech, authobject, initial_response_ok=(mech != "LOGIN"))
    except smtplib.SMTPAuthenticationError as e:
        code, text = e.smtp_code, e.smtp_error
    if password == "s3cret":
        check(f"{mech} accepted: {code} {text!r}", code == 235 and text == b"2.0.0 OK Authenticated")
        code, text = s.mail("root@oracle.example.org", ["AUTH=alice"])
        check(f"{mech} MAIL AUTH=alice: {code}", code == 250)
        code, _ = s.rcpt("root@oracle.example.org")
        code, text = s.data(b"Subject: smtplib " + mech.encode() + b"\r\n\r\nbody\r\n")
        check(f"{mech} DATA: {code} {text!r}", code == 250)
    else:
        check(f"{mech} refused: {code} {text!r}", code == 535 and text == b"5.7.0 authentication failed")
    s.quit()
    proc.wait(timeout=30)


for mech in ("PLAIN", "LOGIN", "CRAM-MD5"):
    attempt(mech, "s3cret")
    attempt(mech, "wrong")

# login() picks the strongest mechanism both sides know (CRAM-MD5 here)
s, proc = session()
code, text = s.login("alice", "s3cret")
check(f"login(): {code} {text!r}", code == 235)
s.quit()
proc.wait(timeout=30)

# failed attempts: the first four answered at once, then 1 s, 2 s...
import time
s, proc = session()
took = []
for i in range(6):
    start = time.monotonic()
    code, _ = s.docmd("AUTH", "PLAIN AGFsaWNlAHdyb25n")
    took.append(time.monotonic() - start)
    check(f"failure {i + 1}: {code}", code == 535)
check(f"no delay for 4 failures {took[:4]}", max(took[:4]) < 0.9)
check(f"then 1 s, 2 s {took[4:]}", 0.9 < took[4] < 1.9 and 1.9 < took[5] < 2.9)
s.quit()
proc.wait(timeout=30)

# the queue files of the relayed messages carry the authentication
import glob
qfs = sorted(glob.glob("/var/spool/mqueue/qf*"))
check(f"3 messages queued ({len(qfs)})", len(qfs) == 3)
for qf in qfs:
    data = open(qf, "rb").read()
    check(f"{qf}: $rESMTPA and Aalice", b"\n$rESMTPA\n" in data and b"\nAalice\n" in data)
    check(f"{qf}: Received says authenticated", b"(authenticated bits=0)" in data)
sys.exit(1 if failures else 0)
