#!/usr/bin/python3
"""journal-to-log.py < JSON > LINES

`journalctl -o json` entries of the mail facility as the syslog lines
sendmail 8.17.1 writes ("<PRI>tag[pid]: MESSAGE", PRI = facility*8 +
priority), so they compare with what the oracle logged.
"""
import json
import sys

for line in sys.stdin:
    e = json.loads(line)
    if e.get("SYSLOG_FACILITY") != "2":
        continue
    pri = 16 + int(e["PRIORITY"])
    print("<%d>%s[%s]: %s" % (pri, e["SYSLOG_IDENTIFIER"], e.get("_PID", "0"), e["MESSAGE"]))
