#!/usr/bin/python3
"""check-journal.py QID ALL.json ONE.json

The structured fields of sdmail's journal entries (journalctl -o json):
every mail entry has SYSLOG_FACILITY=2, SYSLOG_IDENTIFIER, PRIORITY and
SDMAIL_EVENT; an entry whose MESSAGE starts with a queue ID has QUEUE_ID;
from= entries have SMTP_FROM; to= entries have one SMTP_RCPT per address
of their list (the journal keeps no order among fields of one name), MAILER, DSN_STATUS matching dsn= and RELAY matching relay=.
ONE.json (journalctl QUEUE_ID=QID) holds exactly the entries of QID.
"""
import json
import re
import sys


def values(e, name):
    v = e.get(name)
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def check(e, errors):
    msg = e["MESSAGE"]
    for f in ("SYSLOG_IDENTIFIER", "PRIORITY", "SDMAIL_EVENT"):
        if f not in e:
            errors.append("%s: no %s" % (msg, f))
    m = re.match(r"([0-9A-Za-x]{8}[0-9]{6}): (.*)", msg)
    if m and e.get("QUEUE_ID") != m.group(1):
        errors.append("%s: QUEUE_ID %r" % (msg, e.get("QUEUE_ID")))
    text = m.group(2) if m else msg
    if text.startswith("from="):
        sender = text[5:].split(", ")[0]
        if values(e, "SMTP_FROM") != [sender] or e.get("SDMAIL_EVENT") != "from":
            errors.append("%s: SMTP_FROM %r" % (msg, e.get("SMTP_FROM")))
    if text.startswith("to="):
        rcpts = text[3:].split(", ")[0].split(",")
        if sorted(values(e, "SMTP_RCPT")) != sorted(rcpts):
            errors.append("%s: SMTP_RCPT %r" % (msg, e.get("SMTP_RCPT")))
        mailer = re.search(r", mailer=([^,]*)", text).group(1)
        dsn = re.search(r", dsn=([^,]*)", text).group(1)
        relay = re.search(r", relay=([^,]*)", text)
        if e.get("MAILER") != mailer or e.get("DSN_STATUS") != dsn:
            errors.append("%s: MAILER %r DSN_STATUS %r" % (msg, e.get("MAILER"), e.get("DSN_STATUS")))
        if relay and e.get("RELAY") != relay.group(1):
            errors.append("%s: RELAY %r" % (msg, e.get("RELAY")))
        if e.get("SDMAIL_EVENT") != "to":
            errors.append("%s: SDMAIL_EVENT %r" % (msg, e.get("SDMAIL_EVENT")))


def main():
    qid, all_path, one_path = sys.argv[1:]
    entries = [json.loads(l) for l in open(all_path)]
    one = [json.loads(l)["MESSAGE"] for l in open(one_path)]
    errors = []
    for e in entries:
        check(e, errors)
    want = [e["MESSAGE"] for e in entries if e["MESSAGE"].startswith(qid + ": ")]
    if not want or one != want:
        errors.append("journalctl QUEUE_ID=%s gave %r, expected %r" % (qid, one, want))
    for err in errors:
        print("FAIL:", err)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
