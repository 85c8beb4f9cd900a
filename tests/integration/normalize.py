#!/usr/bin/python3
"""normalize.py < RAW > NORMALIZED

Replaces what legitimately differs between two runs of a submission case
(sendmail 8.17's and sdmail's, or two runs of either) by fixed tokens:
queue IDs (numbered in order of appearance), dates and times, the
version in Received headers, smtp-sink's session ids, the qf T/K/I
lines, mailq's load-average mark.  Everything else is compared byte for
byte.
"""
import re
import sys

ids = {}


def queue_id(m):
    return ids.setdefault(m.group(0), "QID%d" % (len(ids) + 1))


RULES = [
    # mailq's "X" after a queue ID says the load average is over QueueLA
    # at that moment: the machine's state, not the program's output
    (re.compile(r"^([0-9A-Za-x]{8}[0-9]{6})X(?= )", re.M), r"\1 "),
    # sendmail's queue IDs: 8 characters of time and sequence, 6 digits of pid
    (re.compile(r"(?:\b|(?<=[dqtxhQ]f))[0-9A-Za-x]{8}[0-9]{6}\b"), queue_id),
    # RFC 5322 dates (sendmail's GMT, smtp-sink's "+0000 (UTC)")
    (re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [ 0-9]?\d \w{3} \d{4} \d\d:\d\d:\d\d"
                r"( [-+]\d{4} \(\w+\)| GMT| [-+]\d{4})"), "DATE"),
    # mailq's queue time column
    (re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} [ 0-9]\d \d\d:\d\d"), "QTIME"),
    # mailq -v's shorter queue time column
    (re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9]\d \d\d:\d\d\b"), "QTIME"),
    # the date part of a Message-Id
    (re.compile(r"<\d{12}\.(?=QID)"), "<STAMP."),
    # $v in "8.17.1.9/8.17.1.9/Submit" ($v/$Z) and in HELP: the program's own
    (re.compile(r"(?<![\d.])\d+\.\d+\.\d+(?:\.\d+)?/8\.17\.1\.9"), "VERSION/8.17.1.9"),
    (re.compile(r"This is sendmail version \S+"), "This is sendmail version VERSION"),
    (re.compile(r"with ESMTP id [0-9a-f]+;"), "with ESMTP id SINKID;"),
    # the time in a DSN's MIME boundary (QID.time/host)
    (re.compile(r"\b(QID\d+)\.\d+/"), r"\1.TIME/"),
    # qf times and the df inode
    (re.compile(r"^([TK])[1-9][0-9]*$", re.M), r"\1TIME"),
    (re.compile(r"^I[0-9]+/[0-9]+/[0-9]+$", re.M), "IDFINODE"),
]


def main():
    text = sys.stdin.buffer.read().decode("latin-1")
    for rx, rep in RULES:
        text = rx.sub(rep, text)
    sys.stdout.buffer.write(text.encode("latin-1"))


if __name__ == "__main__":
    main()
