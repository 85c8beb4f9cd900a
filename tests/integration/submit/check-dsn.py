#!/usr/bin/python3
"""check-dsn.py FILE KIND [RET]

Parses the DSNs in FILE (a DeadLetterDrop mailbox, or smtp-sink's dump of
one message) with Python's email package and checks their RFC 3464
structure: multipart/report; report-type=delivery-status with the
boundary sendmail uses, a text/plain-less first part, a
message/delivery-status part whose per-message and per-recipient fields
parse, and the returned message as message/rfc822 (RET full) or
text/rfc822-headers (RET hdrs).  KIND is the Action the recipients must
have (failed, delayed).  Prints one line per DSN; exit 1 on a mismatch.
"""
import email
import email.policy
import mailbox
import re
import sys


def fail(why):
    print("FAIL: " + why)
    sys.exit(1)


def check(msg, kind, ret):
    if msg.get_content_type() != "multipart/report":
        fail("content type %s" % msg.get_content_type())
    if msg.get_param("report-type") != "delivery-status":
        fail("report-type %s" % msg.get_param("report-type"))
    if not re.fullmatch(r"[0-9A-Za-z]{14}\.\d+/oracle\.example\.org", msg.get_boundary()):
        fail("boundary %s" % msg.get_boundary())
    if not msg["From"].startswith("Mail Delivery Subsystem <MAILER-DAEMON"):
        fail("From: %s" % msg["From"])
    if not msg["Auto-Submitted"].startswith("auto-generated"):
        fail("Auto-Submitted: %s" % msg["Auto-Submitted"])
    parts = msg.get_payload()
    if len(parts) != 3:
        fail("%d parts" % len(parts))
    human, status, returned = parts
    if "Transcript of session follows" not in human.get_payload():
        fail("no transcript in the first part")
    if status.get_content_type() != "message/delivery-status":
        fail("second part is %s" % status.get_content_type())
    blocks = status.get_payload()  # the per-message block, then one per recipient
    if len(blocks) < 2:
        fail("no recipient block")
    if not blocks[0]["Reporting-MTA"].startswith("dns; "):
        fail("Reporting-MTA: %s" % blocks[0]["Reporting-MTA"])
    if blocks[0]["Arrival-Date"] is None:
        fail("no Arrival-Date")
    for b in blocks[1:]:
        if b["Action"] != kind:
            fail("Action: %s, want %s" % (b["Action"], kind))
        if not re.fullmatch(r"[245]\.\d{1,3}\.\d{1,3}", b["Status"] or ""):
            fail("Status: %s" % b["Status"])
        if not (b["Final-Recipient"] or "").lower().startswith("rfc822; "):
            fail("Final-Recipient: %s" % b["Final-Recipient"])
    want = "text/rfc822-headers" if ret == "hdrs" else "message/rfc822"
    if returned.get_content_type() != want:
        fail("third part is %s, want %s" % (returned.get_content_type(), want))
    if ret != "hdrs":
        inner = returned.get_payload()[0]
        if inner["Subject"] is None:
            fail("the returned message has no Subject")
    print("dsn: %s, %s, %d recipient(s), %s, envid %s" % (
        msg["Subject"], kind, len(blocks) - 1, want, blocks[0]["Original-Envelope-Id"]))


def main():
    path, kind = sys.argv[1], sys.argv[2]
    ret = sys.argv[3] if len(sys.argv) > 3 else "full"
    with open(path, "rb") as f:
        first = f.read(5)
    if first == b"From ":
        msgs = list(mailbox.mbox(path, factory=None))
        msgs = [email.message_from_bytes(m.as_bytes(), policy=email.policy.compat32) for m in msgs]
    else:
        with open(path, "rb") as f:
            msgs = [email.message_from_binary_file(f)]
    if not msgs:
        fail("no message in %s" % path)
    for m in msgs:
        check(m, kind, ret)


main()
