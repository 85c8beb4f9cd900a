#!/usr/bin/python3
"""Golden comparisons of sdmail's mail.local and smrsh with Debian's sendmail 8.17.1.

Every case is a bash snippet (cases/NAME.sh) run as root after prelude.sh:
in the oracle's root against /usr/libexec/sendmail/{mail.local,smrsh}
(`capture`), or in a private sandbox with the same users, an empty
/var/mail, /home and smrsh directory against sdmail's programs (`run`).
Its standard output and error, with the dates of From_ lines replaced by
DATE, must be what the oracle printed: expected/NAME.out.  Where sdmail
deliberately differs, cases/NAME.differs says why; expected/NAME.out is
then sdmail's reviewed output and expected/NAME.oracle keeps the oracle's.

  local-golden.py capture [NAME...]        (needs ../shared/tools/sendmail-oracle)
  local-golden.py run NAME --mail-local P --smrsh P --smrsh-dir D
  local-golden.py accept NAME --mail-local P --smrsh P --smrsh-dir D
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, '..', '..', '..', '..', 'shared', 'tools', 'sendmail-oracle')
FROM_DATE = re.compile(r'^(From .*) (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) '
                       r'(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) '
                       r'[ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}(\$?)$', re.M)

SANDBOX = r'''
set -e
hostname oracle.example.org
ip link set lo up 2>/dev/null || true
mount --bind "$CASE_ETC/passwd" /etc/passwd
mount --bind "$CASE_ETC/group" /etc/group
mount -t tmpfs -o mode=1777 tmpfs /tmp
# a private /dev, for a /dev/log of the case's own
mkdir /tmp/.dev
for n in null zero full random urandom tty; do
	touch /tmp/.dev/$n
	mount --bind /dev/$n /tmp/.dev/$n
done
mount --rbind /tmp/.dev /dev
mkdir -p /var/mail /home "$SMRSH_DIR"
mount -t tmpfs -o mode=3777 tmpfs /var/mail
chgrp mail /var/mail
mount -t tmpfs -o mode=755 tmpfs /home
for u in alice bob; do mkdir -m 755 /home/$u; chown $u:$u /home/$u; done
mount -t tmpfs -o mode=755 tmpfs "$SMRSH_DIR"
mkdir /tmp/.bin
ln -s "$MAIL_LOCAL" /tmp/.bin/mail.local
ln -s "$SMRSH" /tmp/.bin/smrsh
export TOOLS_DIR=/tmp/.bin SIDE=sdmail SMRSH_DIR
cd /
set +e
. "$CASE_DIR/prelude.sh"
syslog_start
. "$CASE_DIR/case.sh"
syslog_show
'''


def normalize(text):
    return FROM_DATE.sub(r'\1 DATE\2', text)


def render(out, err):
    return '--- stdout\n' + normalize(out) + '--- stderr\n' + normalize(err)


def case_dir(name):
    d = tempfile.mkdtemp(prefix='local-golden-', dir='/var/tmp')  # not under the sandbox's /tmp
    os.chmod(d, 0o755)
    shutil.copy(os.path.join(HERE, 'prelude.sh'), os.path.join(d, 'prelude.sh'))
    shutil.copy(os.path.join(HERE, 'cases', name + '.sh'), os.path.join(d, 'case.sh'))
    return d


def decode(b):
    return b.decode('utf-8', 'surrogateescape')


def run_oracle(name):
    d = case_dir(name)
    try:
        p = subprocess.run([ORACLE, 'shell', '--file', d + ':/t', 'bash', '-c',
                            'cd /; SIDE=oracle; . /t/prelude.sh; syslog_start; . /t/case.sh; syslog_show'],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    finally:
        shutil.rmtree(d)
    return render(decode(p.stdout), decode(p.stderr))


def run_sdmail(name, args):
    d = case_dir(name)
    env = dict(os.environ, CASE_DIR=d, CASE_ETC=os.path.join(HERE, 'etc'),
               MAIL_LOCAL=os.path.abspath(args.mail_local), SMRSH=os.path.abspath(args.smrsh),
               SMRSH_DIR=args.smrsh_dir)
    try:
        p = subprocess.run(['unshare', '--mount', '--uts', '--net', '--ipc', '--pid', '--fork', '--mount-proc',
                            '--propagation', 'private', '--', 'bash', '-c', SANDBOX],
                           stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=600)
    finally:
        shutil.rmtree(d)
    return render(decode(p.stdout), decode(p.stderr))


def expected_path(name, oracle=False):
    return os.path.join(HERE, 'expected', name + ('.oracle' if oracle else '.out'))


def differs(name):
    return os.path.exists(os.path.join(HERE, 'cases', name + '.differs'))


def write(path, text):
    with open(path, 'w', encoding='utf-8', errors='surrogateescape', newline='') as f:
        f.write(text)


def all_cases():
    with open(os.path.join(HERE, 'cases.list')) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith('#')]


def capture(names):
    for name in names or all_cases():
        text = run_oracle(name)
        write(expected_path(name, oracle=differs(name)), text)
        print('captured', name, '(differs: .oracle)' if differs(name) else '')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['capture', 'run', 'accept'])
    ap.add_argument('names', nargs='*')
    ap.add_argument('--mail-local')
    ap.add_argument('--smrsh')
    ap.add_argument('--smrsh-dir', default='/etc/mail/smrsh')
    args = ap.parse_args()
    if args.mode == 'capture':
        capture(args.names)
        return 0
    status = 0
    for name in args.names:
        got = run_sdmail(name, args)
        if args.mode == 'accept':
            write(expected_path(name), got)
            continue
        if not os.path.exists(expected_path(name)):
            print('FAIL', name, '(no', expected_path(name) + ')')
            status = 1
            continue
        with open(expected_path(name), encoding='utf-8', errors='surrogateescape',
                  newline='') as f:
            want = f.read()
        if got != want:
            status = 1
            print('FAIL', name)
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), 'expected/' + name, 'sdmail'))
        else:
            print('ok', name)
    return status


if __name__ == '__main__':
    sys.exit(main())
