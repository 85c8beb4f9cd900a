#!/usr/bin/python3
"""compare.py EXPECTED_DIR RAW CASE...: run.sh's verdict.
compare.py --split RAW OUT_DIR: capture-oracle.sh --postfix's files.

RAW is sdmail-inside.sh's output; EXPECTED_DIR/CASE.out what sendmail
8.17.1 printed and logged in the same set-up (oracle-inside.sh).  Both
normalized (normalize.py, and the server's greeting, which names the
server's own version), per case:
  - the -v transcripts must be equal line for line;
  - the client's AUTH=client and STARTTLS=client log lines (the session
    line, not the TLS library's debug lines) must be equal, in order;
  - the to= lines must be equal but for sdmail's ctladdr= (see CTLADDR);
  - where deliberate/NAME.out exists (deliberate/README), sdmail's run is
    compared with it instead of with sendmail's;
  - a message the oracle got through (its transcript says "Sent (") must be
    in the server's queue (its Subject is the case name: a "queued: NAME"
    or "held: NAME" line of RAW's "server queue" section).
Prints the differences; exits 1 if any."""
import re
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import normalize as norm  # noqa: E402

GREETING = re.compile(r"^220 mx\.peer\.test ESMTP .*$", re.M)
SESSION = re.compile(r"AUTH=client|STARTTLS=client, relay=")
TO_LINE = re.compile(r": (to=.*)$")
# sdmail's to= line names a ctladdr= for a root -f submission where
# sendmail 8.17.1 names none: a difference of lib/deliver outside AUTH
CTLADDR = re.compile(r", ctladdr=\S+ \(UID/GID\)")


def normalize(text):
    return GREETING.sub("220 mx.peer.test ESMTP GREETING", norm.normalize(text))


def per_case(text):
    """The raw run's text of each case (its transcript and log sections)."""
    out, name = {}, None
    for line in text.splitlines(keepends=True):
        m = re.match(r"^=== (.*?)(: transcript|: log)?$", line.rstrip("\n"))
        if m:
            name = m.group(1)
        if name is not None:
            out[name] = out.get(name, "") + line
    return out


def sections(text):
    out, name = {}, None
    for line in text.splitlines():
        m = re.match(r"^=== (.*)$", line)
        if m:
            name = m.group(1)
            out[name] = []
        elif name is not None:
            out[name].append(line)
    return out


def log_view(lines):
    view = []
    for line in lines:
        if SESSION.search(line):
            view.append(re.sub(r"^<(\d+)>[^:]*: ", r"<\1> ", line))
        m = TO_LINE.search(line)
        if m:
            view.append(CTLADDR.sub("", m.group(1)))
    return view


def diff(what, want, got):
    if want == got:
        return 0
    print("FAIL %s" % what)
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else "(none)"
        g = got[i] if i < len(got) else "(none)"
        if w != g:
            print("  line %d\n    oracle: %s\n    sdmail: %s" % (i + 1, w, g))
    return 1


def split(raw, out_dir):
    """A run of several cases into OUT_DIR/NAME.out, each normalized alone,
    the server queue's lines of that case (Subject NAME) after its log."""
    parts = per_case(open(raw, encoding="latin-1").read())
    queue = parts.pop("server queue", "").splitlines()[1:]
    for name, text in parts.items():
        mine = [l for l in queue if l.split(": ", 1)[-1] == name]
        text += "=== server queue\n" + "".join(l + "\n" for l in mine)
        with open("%s/%s.out" % (out_dir, name), "w", encoding="latin-1") as f:
            f.write(norm.normalize(text))


def main():
    if sys.argv[1] == "--split":
        split(sys.argv[2], sys.argv[3])
        return
    expected_dir, raw, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    got = {}
    for text in per_case(open(raw, encoding="latin-1").read()).values():
        got.update(sections(normalize(text)))
    queued = got.get("server queue", [])
    fails = 0
    deliberate_dir = __file__.rsplit("/", 1)[0] + "/deliberate"
    for name in cases:
        path = "%s/%s.out" % (expected_dir, name)
        try:
            # a deliberate difference from sendmail (deliberate/README)
            path_d = "%s/%s.out" % (deliberate_dir, name)
            open(path_d).close()
            path = path_d
            print("note %s: compared with %s, not sendmail's output" % (name, path_d))
        except OSError:
            pass
        want = sections(normalize(open(path, encoding="latin-1").read()))
        wt, gt = want.get(name + ": transcript", []), got.get(name + ": transcript", [])
        f = diff(name + ": -v transcript", wt, gt)
        f += diff(name + ": log lines", log_view(want.get(name + ": log", [])),
                  log_view(got.get(name + ": log", [])))
        if any("... Sent (" in l for l in wt) and \
                not any(l.split(": ", 1)[-1] == name for l in queued):
            print("FAIL %s: the message is not in the server's queue" % name)
            f += 1
        print("%s %s" % ("FAIL" if f else "ok  ", name))
        fails += 1 if f else 0
    if fails:
        print("--- sdmail run:\n" + open(raw, encoding="latin-1").read())
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
