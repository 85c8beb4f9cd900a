#!/usr/bin/python3
"""Golden-file tests: sdmail's sendmail -bt/-bv/-d0 output against sendmail 8.17.1's.

A case file (cases/NAME.case) holds directives and the standard input:

    #!config debian            Debian's sendmail.cf/submit.cf (etc/debian)
    #!config sdmail            sdmail's generated sendmail.cf/submit.cf
    #!config custom:NAME.cf    cf/NAME.cf, read as /etc/mail/NAME.cf with -C
    #!args -bt -d21.12         command-line arguments
    #!aliases NAME             aliases/NAME/aliases as /etc/mail/aliases (the
                               other files of aliases/NAME beside it in
                               /etc/mail), compiled by newaliases first
    #!pre CMD                  a shell command run (as root) before, after
                               newaliases; /root is an empty directory
    #!program praliases        run praliases instead of sendmail (or another
                               command, e.g. setpriv to run as nobody)
    #!sort                     compare the output lines sorted (praliases
                               lists in sendmail's hash order)
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


class Extra:
    """The aliases-related directives of a case."""
    aliases = None
    pre = []
    program = "sendmail"
    sort = False


def parse_case(path, extra=None):
    config, args, stdin = "debian", [], []
    with open(path, "rb") as f:
        for raw in f.read().split(b"\n")[:-1] if True else []:
            stdin.append(raw)
    lines = []
    x = extra if extra is not None else Extra()
    x.pre = []
    for raw in stdin:
        if raw.startswith(b"#!config "):
            config = raw[len(b"#!config "):].decode().strip()
        elif raw.startswith(b"#!args"):
            args = raw[len(b"#!args"):].decode().split()
        elif raw.startswith(b"#!aliases "):
            x.aliases = raw[len(b"#!aliases "):].decode().strip()
        elif raw.startswith(b"#!pre "):
            x.pre.append(raw[len(b"#!pre "):].decode())
        elif raw == b"#!sort":
            x.sort = True
        elif raw.startswith(b"#!program "):
            x.program = raw[len(b"#!program "):].decode().strip()
        else:
            lines.append(raw)
    data = b"\n".join(lines) + (b"\n" if lines else b"")
    return config, args, data


def alias_files(x):
    """(host file, path inside) for the aliases set of a case."""
    if x.aliases is None:
        return []
    d = os.path.join(HERE, "aliases", x.aliases)
    return [(os.path.join(d, n), "/etc/mail/" + n) for n in sorted(os.listdir(d))]


def sorted_if(x, out):
    if not x.sort:
        return out
    return b"".join(sorted(l + b"\n" for l in out.split(b"\n")[:-1]))


def pre_script(x, always=False):
    """The shell commands run before the program, in both surroundings."""
    cmds = []
    if x.aliases is not None or always:
        cmds.append("(newaliases >/dev/null 2>&1 || true)")
    return cmds + x.pre


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
    x = Extra()
    config, args, data = parse_case(case, x)
    with tempfile.TemporaryDirectory() as tmp:
        etc, extra, files = assemble_etc(config, tmp, sdmail_cfdir)
        # maps rebuilt by root, as sdmail's sandbox does, so that sendmail's
        # file-safety checks judge the same files
        pre = ("chown root /etc/mail && rm -f /etc/mail/access.db && "
               "makemap hash /etc/mail/access < /etc/mail/access")
        files = files + alias_files(x)
        if x.program != "sendmail":
            script = " && ".join([pre] + pre_script(x)) + ' && exec "$@"'
            cmd = [oracle, "shell"]
            for src, dst in files:
                cmd += ["--file", "%s:%s" % (src, dst)]
            cmd += ["bash", "-c", script, x.program, x.program] + extra + args
        else:
            cmd = [oracle, "run", "--pre", " && ".join([pre] + pre_script(x))]
            for src, dst in files:
                cmd += ["--file", "%s:%s" % (src, dst)]
            cmd += ["--"] + extra + args
        p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = normalize(sorted_if(x, p.stdout)) + b"--- exit %d\n" % p.returncode
    name = os.path.splitext(os.path.basename(case))[0]
    with open(os.path.join(HERE, "expected", name + ".out"), "wb") as f:
        f.write(out)
    return out


def run(case, sendmail, makemap, sdmail_cfdir, version):
    """Runs a case in sandbox.sh; every case gets the oracle's compiled
    (empty unless #!aliases) alias database."""
    x = Extra()
    config, args, data = parse_case(case, x)
    with tempfile.TemporaryDirectory() as tmp:
        etc, extra, _ = assemble_etc(config, tmp, sdmail_cfdir)
        cmd = [os.path.join(HERE, "sandbox.sh"), etc, makemap, "--"]
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        sm = os.path.abspath(sendmail)
        os.symlink(sm, os.path.join(bindir, "sendmail"))
        os.symlink(sm, os.path.join(bindir, "newaliases"))
        os.symlink(os.path.join(os.path.dirname(os.path.abspath(makemap)), "praliases"),
                   os.path.join(bindir, "praliases"))
        os.symlink(os.path.abspath(makemap), os.path.join(bindir, "makemap"))
        for src, dst in alias_files(x):
            shutil.copy(src, os.path.join(etc, "mail", os.path.basename(dst)))
        # the oracle's /etc/mail/aliases is a link to /etc/aliases, and
        # Debian's installation compiled it
        if x.aliases is not None:
            os.rename(os.path.join(etc, "mail", "aliases"), os.path.join(etc, "aliases"))
        os.symlink("../aliases", os.path.join(etc, "mail", "aliases"))
        script = " && ".join(["mount -t tmpfs -o mode=700 tmpfs /root",
                              "export PATH=%s:$PATH" % bindir] + pre_script(x, True))
        prog = os.path.join(bindir, x.program)
        cmd += ["bash", "-c", script + ' && exec "$@"', x.program,
                prog if os.path.exists(prog) else x.program]
        cmd += extra + args
        p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=120)
    got = sorted_if(x, p.stdout) + b"--- exit %d\n" % p.returncode
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
