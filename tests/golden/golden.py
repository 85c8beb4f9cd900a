#!/usr/bin/python3
"""Golden-file tests: sdmail's sendmail -bt/-bv/-d0 output against sendmail 8.17.1's.

A case file (cases/NAME.case) holds directives and the standard input:

    #!config debian            Debian's sendmail.cf/submit.cf (etc/debian)
    #!config sdmail            sdmail's generated sendmail.cf/submit.cf
    #!config custom:NAME.cf    cf/NAME.cf, read as /etc/mail/NAME.cf with -C
    #!args -bt -d21.12         command-line arguments
    <everything else is standard input>

expected/NAME.out is what sendmail 8.17.1 printed on standard output,
followed by a line "--- exit N".  `capture` (re)creates it with the oracle
(../shared/tools/sendmail-oracle, development machines only); `run` runs
sdmail's binary in sandbox.sh and compares byte for byte.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE_VERSION = "8.17.1.9"
VERSION_PATTERNS = [
    ("Version %s\n", "Version @VERSION@\n"),
    ("sendmail %s supports", "sendmail @VERSION@ supports"),
]


def parse_case(path):
    config, args, stdin = "debian", [], []
    with open(path, "rb") as f:
        for raw in f.read().split(b"\n")[:-1] if True else []:
            stdin.append(raw)
    lines = []
    for raw in stdin:
        if raw.startswith(b"#!config "):
            config = raw[len(b"#!config "):].decode().strip()
        elif raw.startswith(b"#!args"):
            args = raw[len(b"#!args"):].decode().split()
        else:
            lines.append(raw)
    data = b"\n".join(lines) + (b"\n" if lines else b"")
    return config, args, data


def assemble_etc(config, tmp, sdmail_cfdir):
    """Build the /etc/mail tree for a case; returns (etcdir, extra_args, files)."""
    etc = os.path.join(tmp, "etc", "debian")
    shutil.copytree(os.path.join(HERE, "etc", "debian"), etc)
    for name in ("passwd", "group"):
        shutil.copy(os.path.join(HERE, "etc", name), os.path.join(tmp, "etc", name))
    extra, files = [], []
    if config == "sdmail":
        for name in ("sendmail.cf", "submit.cf"):
            src = os.path.join(sdmail_cfdir, name)
            shutil.copy(src, os.path.join(etc, "mail", name))
            files.append((src, "/etc/mail/" + name))
    elif config.startswith("custom:"):
        name = config.split(":", 1)[1]
        src = os.path.join(HERE, "cf", name)
        shutil.copy(src, os.path.join(etc, "mail", name))
        files.append((src, "/etc/mail/" + name))
        extra = ["-C/etc/mail/" + name]
    elif config != "debian":
        raise SystemExit("unknown config " + config)
    return etc, extra, files


# Lines sendmail prints that sdmail deliberately does not (documented in
# sendmail(8), COMPATIBILITY): the OpenSSL versions of -d0.14.
ORACLE_ONLY_PREFIXES = [b"       OpenSSL: compiled ", b"       OpenSSL: linked   "]


def normalize(out):
    for pat, rep in VERSION_PATTERNS:
        out = out.replace((pat % ORACLE_VERSION).encode(), rep.encode())
    lines = out.split(b"\n")
    lines = [l for l in lines if not any(l.startswith(p) for p in ORACLE_ONLY_PREFIXES)]
    return b"\n".join(lines)


def capture(case, oracle, sdmail_cfdir):
    config, args, data = parse_case(case)
    with tempfile.TemporaryDirectory() as tmp:
        etc, extra, files = assemble_etc(config, tmp, sdmail_cfdir)
        # maps rebuilt by root, as sdmail's sandbox does, so that sendmail's
        # file-safety checks judge the same files
        cmd = [oracle, "run", "--pre",
               "chown root /etc/mail && rm -f /etc/mail/access.db && "
               "makemap hash /etc/mail/access < /etc/mail/access"]
        for src, dst in files:
            cmd += ["--file", "%s:%s" % (src, dst)]
        cmd += ["--"] + extra + args
        p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = normalize(p.stdout) + b"--- exit %d\n" % p.returncode
    name = os.path.splitext(os.path.basename(case))[0]
    with open(os.path.join(HERE, "expected", name + ".out"), "wb") as f:
        f.write(out)
    return out


def run(case, sendmail, makemap, sdmail_cfdir, version):
    config, args, data = parse_case(case)
    with tempfile.TemporaryDirectory() as tmp:
        etc, extra, _ = assemble_etc(config, tmp, sdmail_cfdir)
        cmd = [os.path.join(HERE, "sandbox.sh"), etc, makemap, "--",
               os.path.abspath(sendmail)] + extra + args
        p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=120)
    got = p.stdout + b"--- exit %d\n" % p.returncode
    name = os.path.splitext(os.path.basename(case))[0]
    with open(os.path.join(HERE, "expected", name + ".out"), "rb") as f:
        want = f.read().replace(b"@VERSION@", version.encode())
    if got == want:
        return True
    sys.stdout.write("case %s differs (stderr: %s)\n" % (name, p.stderr.decode(errors="replace")[:500]))
    with tempfile.NamedTemporaryFile(delete=False) as a, tempfile.NamedTemporaryFile(delete=False) as b:
        a.write(want)
        b.write(got)
    subprocess.run(["diff", "-u", "--label", "sendmail-8.17", "--label", "sdmail", a.name, b.name])
    os.unlink(a.name)
    os.unlink(b.name)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["run", "capture"])
    ap.add_argument("cases", nargs="+")
    ap.add_argument("--sendmail")
    ap.add_argument("--makemap")
    ap.add_argument("--cfdir", help="directory with sdmail's generated sendmail.cf/submit.cf")
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--oracle", default=os.path.join(HERE, "../../../shared/tools/sendmail-oracle"))
    o = ap.parse_args()
    if o.command == "run" and os.geteuid() != 0:
        print("golden tests need root (private namespaces for the sandbox); skipped")
        sys.exit(77)
    ok = True
    for case in o.cases:
        if o.command == "capture":
            capture(case, o.oracle, o.cfdir)
        else:
            ok = run(case, o.sendmail, o.makemap, o.cfdir, o.version) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
