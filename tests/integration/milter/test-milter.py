"""The milter engine against real filters: each case starts the filters it
names (filter.py, python3-milter on the real libmilter) on unix sockets in
a temporary directory, writes a configuration with their X lines, plays a
transaction with milter-drive and compares its output (verdicts, SMTP
replies, resulting envelope and message, log lines) with expected/NAME.out.

    /usr/bin/python3 test-milter.py MILTER-DRIVE [--update] [CASE...]
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FILTER = os.path.join(HERE, 'filter.py')
HOSTILE = os.path.join(HERE, 'hostile.py')

MESSAGE = (b'From: a@example.org\nTo: b@example.org\nSubject: hello\n'
           b'X-Remove: x\nX-Remove: y\n\nBody line one.\nline two\n')
BIG = (b'From: a@example.org\nSubject: big\n\n' +
       b''.join(b'line %05d of a long body, to need several chunks\n' % i for i in range(3000)))

# name: ([(filter, mode or None for no filter, F=, T=)], driver args, message)
RCPTS = ['-r', '<b@example.org>', '-r', '<old@example.org>']
CASES = {
    'pass': ([('test', 'pass', '', '')], ['-a', '192.0.2.7:4567', '-c', 'client.example.org',
                                          '-H', 'helo.example.org'], MESSAGE),
    'mods': ([('test', 'mods', '', '')], [], MESSAGE),
    'chain': ([('first', 'mods', '', ''), ('second', 'pass', '', '')], [], MESSAGE),
    'reject-connect': ([('test', 'reject-connect', '', '')], [], MESSAGE),
    'reject-helo': ([('test', 'reject-helo', '', '')], [], MESSAGE),
    'reject-mail': ([('test', 'reject-mail', '', '')], [], MESSAGE),
    'tempfail-rcpt': ([('test', 'tempfail-rcpt', '', '')],
                      ['-r', '<bad@example.org>'], MESSAGE),
    'replycode-rcpt': ([('test', 'replycode-rcpt', '', '')],
                       ['-r', '<bad@example.org>'], MESSAGE),
    'multiline-eom': ([('test', 'multiline-eom', '', '')], [], MESSAGE),
    'tempfail-eom': ([('test', 'tempfail-eom', '', '')], [], MESSAGE),
    'discard': ([('test', 'discard', '', '')], [], MESSAGE),
    'big-body': ([('test', 'pass', '', '')], [], BIG),
    'skip-body': ([('test', 'skip-body', '', '')], [], BIG),
    # progress reports within E: the answer after 3s is waited for
    'progress': ([('test', 'progress-eom', '', 'E:5s')], [], MESSAGE),
    # E passed while the filter reports progress: F= decides
    'progress-forever': ([('test', 'progress-forever', 'T', 'E:2s')], [], MESSAGE),
    'timeout-pass': ([('test', 'sleep-eom', '', 'R:1s'), ('next', 'pass', '', '')],
                     [], MESSAGE),
    'timeout-tempfail': ([('test', 'sleep-eom', 'T', 'R:1s')], [], MESSAGE),
    'timeout-reject': ([('test', 'sleep-eom', 'R', 'R:1s')], [], MESSAGE),
    # sendmail 8.17.1 waits R, not E, for each answer to end of message
    'timeout-eom': ([('test', 'sleep-eom', 'T', 'E:1s')], [], MESSAGE),
    'die-pass': ([('test', 'die-body', '', ''), ('next', 'pass', '', '')], [], MESSAGE),
    'die-tempfail': ([('test', 'die-body', 'T', '')], [], MESSAGE),
    'unreachable-pass': ([('gone', None, '', ''), ('next', 'pass', '', '')], [], MESSAGE),
    'unreachable-tempfail': ([('gone', None, 'T', '')], [], MESSAGE),
    'unreachable-reject': ([('gone', None, 'R', 'C:1s')], [], MESSAGE),
    # a broken or hostile filter (hostile.py) with F=T, and one without F=
    'hostile-too-long': ([('bad', 'hostile-too-long', 'T', 'R:1s')], [], MESSAGE),
    'hostile-half': ([('bad', 'hostile-half', 'T', 'R:1s')], [], MESSAGE),
    'hostile-unknown-reply': ([('bad', 'hostile-unknown-reply', 'T', '')], [], MESSAGE),
    'hostile-bad-code': ([('bad', 'hostile-bad-code', 'T', '')], [], MESSAGE),
    'hostile-early-mod': ([('bad', 'hostile-early-mod', 'T', '')], [], MESSAGE),
    'hostile-bad-version': ([('bad', 'hostile-bad-version', 'T', '')], [], MESSAGE),
    'hostile-close': ([('bad', 'hostile-close', 'T', '')], [], MESSAGE),
    'hostile-reject-unknown': ([('bad', 'hostile-reject-unknown', '', '')],
                               ['-u', 'XYZZY frob'], MESSAGE),
    'hostile-shutdown-helo': ([('bad', 'hostile-shutdown-helo', '', '')], [], MESSAGE),
    'hostile-shutdown-mail': ([('bad', 'hostile-shutdown-mail', 'T', '')], [], MESSAGE),
    'hostile-pass': ([('bad', 'hostile-half', '', 'R:1s'), ('next', 'pass', '', '')],
                     [], MESSAGE),
}


def wait_listening(path, proc):
    """Until the filter accepts connections on path (libmilter binds, then
    listens)."""
    for _ in range(200):
        if proc.poll() is not None:
            raise RuntimeError('%s exited with %d' % (proc.args[1], proc.returncode))
        try:
            with socket.socket(socket.AF_UNIX) as probe:
                probe.connect(path)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('nothing listens on ' + path)


def start_filters(tmp, filters):
    procs = []
    for name, mode, _, _ in filters:
        if mode is None:
            continue
        sock = os.path.join(tmp, name + '.sock')
        log = open(os.path.join(tmp, name + '.log'), 'wb')
        prog, mode = (HOSTILE, mode[8:]) if mode.startswith('hostile-') else (FILTER, mode)
        procs.append(subprocess.Popen(['/usr/bin/python3', prog, sock, mode],
                                      stdout=log, stderr=subprocess.STDOUT))
        wait_listening(sock, procs[-1])
    return procs


def write_cf(tmp, filters):
    lines = ['V10/Berkeley', 'Cwlocalhost',
             'O InputMailFilters=' + ','.join(f[0] for f in filters),
             'O Milter.macros.connect=j, _, {daemon_name}',
             'O Milter.macros.envfrom=i, {mail_addr}',
             'O Milter.LogLevel=10',
             # sendmail's first H lines: a filter's insert index counts them
             'H?P?Return-Path: <$g>', 'HReceived: by $j']
    for name, _, flags, timeouts in filters:
        x = 'X%s, S=unix:%s/%s.sock' % (name, tmp, name)
        if flags:
            x += ', F=' + flags
        if timeouts:
            x += ', T=' + timeouts
        lines.append(x)
    lines.append('Mlocal, P=/bin/true, F=lsDFMAw5:/|@q, A=mail')
    path = os.path.join(tmp, 'milter.cf')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path


def run_case(drive, name, sender='<a@example.org> SIZE=120'):
    filters, args, message = CASES[name]
    with tempfile.TemporaryDirectory(prefix='milter-') as tmp:
        procs = start_filters(tmp, filters)
        try:
            msg = os.path.join(tmp, 'message')
            with open(msg, 'wb') as f:
                f.write(message)
            cmd = [drive, '-C', write_cf(tmp, filters), '-M', 'j=mx.example.org',
                   '-M', '{daemon_name}=MTA', '-M', 'i=4AB3C2D1000042',
                   '-f', sender] + RCPTS + args + [msg]
            run = subprocess.run(cmd, stdout=subprocess.PIPE, timeout=60)
            out = run.stdout
            if run.returncode != 0:
                out += b'exit status %d\n' % run.returncode
        finally:
            for p in procs:
                p.kill()
                p.wait()
    return out.replace(tmp.encode(), b'TMP')


def main():
    drive = sys.argv[1]
    update = '--update' in sys.argv
    names = [a for a in sys.argv[2:] if a != '--update'] or list(CASES)
    failed = 0
    for name in names:
        got = run_case(drive, name)
        path = os.path.join(HERE, 'expected', name + '.out')
        if update:
            with open(path, 'wb') as f:
                f.write(got)
            print('updated', name)
            continue
        with open(path, 'rb') as f:
            want = f.read()
        if got != want:
            failed += 1
            print('FAIL', name)
            sys.stdout.flush()
            subprocess.run(['diff', '-u', path, '-'], input=got)
        else:
            print('ok', name)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
