#!/usr/bin/python3
"""normalize.py < RAW > NORMALIZED

What a delivery run prints and leaves in mailboxes, or its log lines, made
comparable between sendmail 8.17.1 and sdmail: queue IDs numbered in order
of appearance, dates, process ids, delays, the version in Received: and
Message-Id's time stamp become fixed tokens.
"""
import re
import sys

ids = {}


def queue_id(m):
    return ids.setdefault(m.group(0), "QID%d" % (len(ids) + 1))


DAY = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
MON = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
RULES = [
    (re.compile(r"\b[0-9A-Za-x]{8}[0-9]{6}\b"), queue_id),
    (re.compile(DAY + r" " + MON + r" [ \d]\d \d\d:\d\d:\d\d \d{4}"), "CTIME"),
    (re.compile(DAY + r", \d{1,2} " + MON + r" \d{4} \d\d:\d\d:\d\d [-+A-Z0-9]+( \([A-Z]+\))?"),
     "RFC5322DATE"),
    (re.compile(r"\[\d+\]: "), "[PID]: "),
    (re.compile(r"\b(x?delay)=(\d+\+)?\d\d:\d\d:\d\d"), r"\1=DELAY"),
    (re.compile(r"<\d{12}\.(?=QID)"), "<STAMP."),
    (re.compile(r"\([0-9.]+/8\.17\.1(\.\d+)?\)"), "(VERSION)"),
    # the SMTP greeting of sendmail -bs: "Sendmail 8.17.1.9/8.17.1.9" or sdmail's
    (re.compile(r"(?<=Sendmail )[0-9.]+/8\.17\.1(\.\d+)?(?=;)"), "VERSION"),
    (re.compile(r"(?<=QID\d)\.\d+/"), ".BOUNDARY/"),
    # a bounce returns the Received: header with the program's version
    # ("8.17.1.9" or sdmail's): its length counts in Content-Length
    (re.compile(r"(From MAILER-DAEMON CTIME\$\n(?:[^$\n]+\$\n)*?Content-Length: )\d+"),
     r"\1LENGTH"),
]


def main():
    text = sys.stdin.buffer.read().decode("latin-1")
    for rx, rep in RULES:
        text = rx.sub(rep, text)
    sys.stdout.buffer.write(text.encode("latin-1"))


if __name__ == "__main__":
    main()
