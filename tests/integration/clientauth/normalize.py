#!/usr/bin/python3
"""normalize.py < RAW > NORMALIZED: clientauth transcripts and log lines of
two runs (sendmail 8.17.1's and sdmail's) made comparable: queue ids
numbered in order of appearance, Postfix's queue ids, pids, delays and
dates become fixed tokens."""
import re
import sys

ids = {}


def queue_id(m):
    return ids.setdefault(m.group(0), "QID%d" % (len(ids) + 1))


RULES = [
    (re.compile(r"\b[0-9A-Za-x]{8}[0-9]{6}\b"), queue_id),
    (re.compile(r"\[\d+\]: "), "[PID]: "),
    (re.compile(r"\b(x?delay)=(\d+\+)?\d\d:\d\d:\d\d"), r"\1=DELAY"),
    (re.compile(r"\(\d+/\d+\)"), "(UID/GID)"),
    (re.compile(r"queued as [0-9A-F]{6,}\b"), "queued as PFQID"),
    (re.compile(r"[A-Z][a-z][a-z], \d+ [A-Z][a-z][a-z] \d{4} \d\d:\d\d:\d\d (?:[-+]\d{4}|GMT)"), "DATE"),
]


def normalize(text):
    """`text` normalized, queue ids numbered from QID1 again."""
    ids.clear()
    for rx, rep in RULES:
        text = rx.sub(rep, text)
    return text


def main():
    text = sys.stdin.buffer.read().decode("latin-1")
    sys.stdout.buffer.write(normalize(text).encode("latin-1"))


if __name__ == "__main__":
    main()
