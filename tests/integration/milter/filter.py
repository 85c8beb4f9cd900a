"""A mail filter for the milter tests, written with Debian's python3-milter
(pymilter, a binding to the real libmilter).

    /usr/bin/python3 filter.py SOCKET MODE

MODE picks what the filter does: pass (report what it saw in X-Seen
headers), reject-connect, reject-helo, reject-mail, tempfail-rcpt,
replycode-rcpt, multiline-eom, tempfail-eom, discard, mods (every
modification action), sleep-eom (sleeps past the MTA's timeout),
die-body (exits in the middle of the body), skip-body, progress-eom,
progress-forever (at end of message sends SMFIR_PROGRESS every half
second and never answers).
"""
import os
import sys
import time

import Milter

SOCKET, MODE = sys.argv[1], sys.argv[2]


class Filter(Milter.Base):
    def __init__(self):
        self.seen = []
        self.headers = []
        self.body_calls = 0
        self.body_bytes = 0
        self.rcpts = []

    def connect(self, hostname, family, hostaddr):
        self.seen.append('connect=%s %s' % (hostname, hostaddr))
        self.seen.append('j=%s daemon_name=%s' % (self.getsymval('j'), self.getsymval('{daemon_name}')))
        if MODE == 'reject-connect':
            return Milter.REJECT
        return Milter.CONTINUE

    def hello(self, helo):
        self.seen.append('helo=%s' % helo)
        if MODE == 'reject-helo':
            self.setreply('550', '5.7.0', 'Go away %s' % helo)
            return Milter.REJECT
        return Milter.CONTINUE

    def envfrom(self, mailfrom, *params):
        self.seen.append('from=%s %s i=%s' % (mailfrom, ' '.join(params), self.getsymval('i')))
        self.headers = []
        self.body_calls = self.body_bytes = 0
        if MODE == 'reject-mail':
            return Milter.REJECT
        return Milter.CONTINUE

    def envrcpt(self, to, *params):
        self.rcpts.append(to)
        if 'bad' in to and MODE == 'tempfail-rcpt':
            return Milter.TEMPFAIL
        if 'bad' in to and MODE == 'replycode-rcpt':
            self.setreply('553', '5.1.3', 'No mail for %s' % to, 'Really not.')
            return Milter.REJECT
        return Milter.CONTINUE

    def header(self, name, value):
        self.headers.append(name)
        return Milter.CONTINUE

    def body(self, chunk):
        self.body_calls += 1
        self.body_bytes += len(chunk)
        if MODE == 'die-body':
            os._exit(1)
        if MODE == 'skip-body':
            return Milter.SKIP
        return Milter.CONTINUE

    def eom(self):
        if MODE == 'pass' or MODE == 'skip-body':
            self.addheader('X-Seen', '; '.join(self.seen))
            self.addheader('X-Seen-Headers', ' '.join(self.headers))
            self.addheader('X-Seen-Body', '%d chunks, %d bytes' % (self.body_calls, self.body_bytes))
            return Milter.ACCEPT
        if MODE == 'multiline-eom':
            self.setreply('550', '5.7.1', 'Message refused', 'Line two', 'Line three')
            return Milter.REJECT
        if MODE == 'tempfail-eom':
            return Milter.TEMPFAIL
        if MODE == 'discard':
            return Milter.DISCARD
        if MODE == 'sleep-eom':
            time.sleep(4)
            return Milter.CONTINUE
        if MODE == 'progress-eom':
            for _ in range(3):
                time.sleep(1)
                self.progress()
            self.addheader('X-Progress', 'done')
            return Milter.CONTINUE
        if MODE == 'progress-forever':
            while True:  # ends when the MTA gives up and closes
                time.sleep(0.5)
                self.progress()
        if MODE == 'mods':
            self.addheader('X-Added', 'by the filter')
            self.addheader('X-First', 'inserted at the top', 0)
            self.chgheader('Subject', 1, 'changed subject')
            self.chgheader('X-Remove', 1, '')
            self.chgheader('X-Remove', 1, '')
            self.addrcpt('<new@example.org>')
            self.addrcpt('<dsn@example.org>', 'NOTIFY=NEVER ORCPT=rfc822;orig@example.org')
            self.delrcpt('<old@example.org>')
            self.chgfrom('<changed@example.org>')
            self.replacebody(b'The body was replaced.\r\nSecond line.\r\n')
            self.quarantine('held for review')
            return Milter.CONTINUE
        return Milter.CONTINUE


Milter.factory = Filter
Milter.set_flags(Milter.ADDHDRS | Milter.CHGHDRS | Milter.ADDRCPT | Milter.ADDRCPT_PAR |
                 Milter.DELRCPT | Milter.CHGFROM | Milter.CHGBODY | Milter.QUARANTINE)
sys.stdout.flush()
Milter.runmilter('test-' + MODE, 'unix:' + SOCKET, 60)
