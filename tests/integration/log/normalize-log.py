#!/usr/bin/python3
"""normalize-log.py < RAW > NORMALIZED

Log lines of two runs (sendmail 8.17.1's and sdmail's) made comparable:
queue IDs numbered in order of appearance, process ids, the delays, the
Message-Id's time stamp and smtp-sink's queue ids become fixed tokens.
"""
import re
import sys

ids = {}


def queue_id(m):
    return ids.setdefault(m.group(0), "QID%d" % (len(ids) + 1))


RULES = [
    (re.compile(r"\b[0-9A-Za-x]{8}[0-9]{6}\b"), queue_id),
    (re.compile(r"\[\d+\]: "), "[PID]: "),
    (re.compile(r"\b(x?delay)=(\d+\+)?\d\d:\d\d:\d\d"), r"\1=DELAY"),
    (re.compile(r"<\d{12}\.(?=QID)"), "<STAMP."),
    (re.compile(r"\(\d+/\d+\)"), "(UID/GID)"),
]


def main():
    text = sys.stdin.buffer.read().decode("latin-1")
    for rx, rep in RULES:
        text = rx.sub(rep, text)
    sys.stdout.buffer.write(text.encode("latin-1"))


if __name__ == "__main__":
    main()
