#!/usr/bin/python3
"""compare.py EXPECTED_DIR RAW CASE...: run.sh's verdict, as
../clientauth/compare.py gives it (the -v transcripts line for line; the
client's session and to= log lines; the message in the server's queue
when the oracle's got through), the session lines here being the
STARTTLS=client line and the try_tls / tls_server rulesets' ruleset=
lines."""
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0] + "/../clientauth")
import compare  # noqa: E402

compare.SESSION = re.compile(r"STARTTLS=client, relay=|ruleset=t(ry_tls|ls_server), ")

if __name__ == "__main__":
    compare.main()
