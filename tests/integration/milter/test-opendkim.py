"""OpenDKIM (Debian's opendkim, a real libmilter filter) signs a message
through sdmail's milter engine: a key made by opendkim-genkey, opendkim in
the foreground on a unix socket, milter-drive playing a transaction from
127.0.0.1 (an internal host, so OpenDKIM signs mail of its domain); the
message as sdmail would queue it must carry a DKIM-Signature that
python3-dkim verifies against the generated public key, and must fail to
verify once its body is altered.

    /usr/bin/python3 test-opendkim.py MILTER-DRIVE
"""
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

import dkim

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('tm', os.path.join(HERE, 'test-milter.py'))
tm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tm)

MESSAGE = (b'From: Alice <alice@example.org>\nTo: bob@example.net\n'
           b'Subject: signed by opendkim\nDate: Sun, 22 Nov 2026 05:00:00 +0000\n'
           b'Message-Id: <test.1@example.org>\n\nHello Bob,\n\nthis is signed.\n')


def main():
    drive = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix='dkim-') as tmp:
        subprocess.run(['opendkim-genkey', '-D', tmp, '-d', 'example.org', '-s', 'sel',
                        '-b', '2048'], check=True)
        sock = os.path.join(tmp, 'dkim.sock')
        conf = os.path.join(tmp, 'opendkim.conf')
        with open(conf, 'w') as f:
            f.write('Mode sv\nDomain example.org\nSelector sel\nKeyFile %s/sel.private\n'
                    'Socket local:%s\nBackground no\nSyslog no\nRequireSafeKeys no\n'
                    'Canonicalization relaxed/simple\nPidFile %s/pid\n' % (tmp, sock, tmp))
        proc = subprocess.Popen(['/usr/sbin/opendkim', '-f', '-x', conf],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            tm.wait_listening(sock, proc)
            with open(os.path.join(tmp, 'milter.cf'), 'w') as f:
                f.write('V10/Berkeley\nO InputMailFilters=opendkim\n'
                        'O Milter.macros.connect=j, {daemon_name}\nO Milter.macros.envfrom=i\n'
                        'Xopendkim, S=local:%s, F=T, T=R:10s\n'
                        # sendmail's first H lines: the insert index counts them
                        'H?P?Return-Path: <$g>\nHReceived: by $j\n'
                        'Mlocal, P=/bin/true, F=lsDFMAw5:/|@q, A=mail\n' % sock)
            with open(os.path.join(tmp, 'message'), 'wb') as f:
                f.write(MESSAGE)
            out = subprocess.run(
                [drive, '-C', os.path.join(tmp, 'milter.cf'), '-M', 'j=mx.example.org',
                 '-M', '{daemon_name}=MTA', '-M', 'i=4AB3C2D1000042', '-a', '127.0.0.1:40000',
                 '-c', 'localhost', '-H', 'client.example.org', '-f', '<alice@example.org>',
                 '-r', '<bob@example.net>', os.path.join(tmp, 'message')],
                stdout=subprocess.PIPE, check=True, timeout=60).stdout
            txt = open(os.path.join(tmp, 'sel.txt')).read()
        finally:
            proc.terminate()
            proc.wait()
    print(out.decode())
    m = re.search(rb'\n--- message\n(.*)--- end\n', out, re.S)
    if b'eom: continue' not in out or m is None:
        print('FAIL: the message was not accepted')
        return 1
    message = m.group(1).replace(b'\n', b'\r\n')
    if not message.startswith(b'DKIM-Signature:'):
        print('FAIL: no DKIM-Signature header in front')
        return 1
    record = ''.join(re.findall(r'"([^"]*)"', txt)).encode()

    def dns(name, timeout=5):
        return record if name == b'sel._domainkey.example.org.' else None

    if not dkim.verify(message, dnsfunc=dns):
        print('FAIL: the signature does not verify')
        return 1
    if dkim.verify(message.replace(b'this is signed', b'this is forged'), dnsfunc=dns):
        print('FAIL: an altered body still verifies')
        return 1
    print('ok: DKIM signature by OpenDKIM verifies with python3-dkim')
    return 0


if __name__ == '__main__':
    sys.exit(main())
