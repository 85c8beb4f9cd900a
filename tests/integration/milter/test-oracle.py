"""sdmail's milter engine against sendmail 8.17.1's decisions for the same
filter: each case of oracle-cases.txt was run in the oracle (a `sendmail
-bs` session with filter.py, captured by capture-oracle.sh into
expected/oracle-NAME.out); here milter-drive plays the same transaction
with the same filters and this script checks that

- every reply a filter decided (MAIL, RCPT, an unknown command, end of
  message; a CONNECT or HELO verdict as sendmail then answers MAIL, a
  421 at CONNECT as its greeting) is sendmail's, byte for byte;
- an accepted message has sendmail's sender, recipients, quarantine
  reason, headers (the message's own, in order, after the filters'
  changes; X-Seen, which reports macros sendmail -bs sets differently,
  left out) and body; a discarded one is not queued.

    /usr/bin/python3 test-oracle.py MILTER-DRIVE [CASE...]
"""
import os
import re
import sys

import importlib.util

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('tm', os.path.join(HERE, 'test-milter.py'))
tm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tm)

SESSION = os.path.join(HERE, 'session.txt')


def read_session(path):
    lines = open(path).read().split('\n')
    mail = next(l for l in lines if l.startswith('MAIL From:'))[len('MAIL From:'):]
    rcpts = [l[len('RCPT To:'):] for l in lines if l.startswith('RCPT To:')]
    helo = next(l for l in lines if l.startswith('HELO '))[5:]
    body = '\n'.join(lines[lines.index('DATA') + 1:lines.index('.')]) + '\n'
    known = ('HELO ', 'MAIL ', 'RCPT ', 'DATA', 'QUIT')
    unknown = [l for l in lines[:lines.index('DATA')] if l and not l.startswith(known)]
    return mail, rcpts, helo, body.encode(), unknown[0] if unknown else None


def oracle_replies(text):
    """[(command, [reply lines])] from a chat.pl transcript."""
    out, cmd = [], None
    for line in text.split('\n'):
        if line.startswith('>>> '):
            cmd = line[4:]
            continue
        if line.startswith('rc='):
            break
        if re.match(r'^\d{3}[- ]', line):
            if out and out[-1][0] is cmd and out[-1][1][-1][3] == '-':
                out[-1][1].append(line)
            else:
                out.append((cmd, [line]))
    return out


def oracle_queue(text):
    """(qf lines, df text) or None."""
    if '\n--- qf\n' not in text and '\n--- hf\n' not in text:
        return None
    q = re.split(r'\n--- [qh]f\n', text, 1)[1]
    qf, df = q.split('\n--- df\n', 1)
    df = df.split('--- mailq', 1)[0]  # what follows a quarantined entry
    return qf.split('\n'), df


def qf_message(qf):
    """The parts the filters decide, from a qf."""
    sender, rcpts, quarantine, headers = None, [], None, []
    own = False
    for line in qf:
        if line.startswith('S'):
            sender = line[1:]
        elif line.startswith('R') and ':' in line:
            rcpts.append(line.split(':', 1)[1])
        elif line.startswith('q'):
            quarantine = line[1:]
        elif line.startswith('H??') and not line.startswith('H??Received:'):
            own = True
            headers.append(line[3:])
        elif line.startswith('\t') and own and headers:
            headers[-1] += '\n' + line
        elif line.startswith('H'):
            own = False
    return sender, rcpts, quarantine, headers


def drive_output(text):
    stages, msg, in_msg = [], {'rcpts': [], 'headers': []}, None
    continues = False
    for line in text.replace('\r\n', '\n').split('\n'):
        if in_msg == 'headers':
            if line == '':
                in_msg = 'body'
                msg['body'] = ''
            else:
                msg['headers'].append(line)
            continue
        if in_msg == 'body':
            if line == '--- end':
                in_msg = None
            else:
                msg['body'] += line + '\n'
            continue
        m = re.match(r'^(connect|helo|unknown|mail|rcpt|data|eom): (\w+) ?(.*?)(?: by \S+)?$',
                     line)
        if m:
            stages.append([m.group(1), m.group(2), [m.group(3)] if m.group(3) else []])
            continues = m.group(3).startswith(tuple('0123456789'))
            continue
        elif re.match(r'^\d{3}[- ]', line) and continues:
            stages[-1][2].append(re.sub(r' by \S+$', '', line))
            continue
        continues = False
        if line.startswith('sender: '):
            msg['sender'] = line[8:]
        elif line.startswith('rcpt: '):
            msg['rcpts'].append(line[6:].split(' flags=')[0])
        elif line.startswith('quarantine: '):
            msg['quarantine'] = line[12:]
        elif line == '--- message':
            in_msg = 'headers'
    return stages, msg


def visible(headers):
    return [h for h in headers if not h.startswith('X-Seen:')]


def check(name, specs, drive):
    session = SESSION
    if specs and specs[0].startswith('@'):
        session = os.path.join(HERE, specs.pop(0)[1:])
    mail, rcpts, helo, body, unknown = read_session(session)
    text = open(os.path.join(HERE, 'expected', 'oracle-%s.out' % name), errors='replace').read()
    replies = oracle_replies(text)
    filters = []
    for spec in specs:
        fname, mode, flags, timeouts = (spec.split(':', 3) + ['', '', ''])[:4]
        filters.append((fname, None if mode == 'none' else mode, flags, timeouts.replace(',', ';')))
    args = ['-M', 'j=oracle.example.org', '-H', helo] + sum((['-r', r] for r in rcpts), []) + (['-u', unknown] if unknown else [])
    tm.CASES[name] = (filters, args, body)
    tm.RCPTS[:] = []
    out = tm.run_case(drive, name, sender=mail).decode()
    stages, msg = drive_output(out)
    errors = []

    def reply_to(prefix, nth=0):
        found = [r for c, r in replies if c is not None and c.startswith(prefix)]
        return found[nth] if nth < len(found) else None

    nrcpt = 0
    for stage, verdict, reply in stages:
        want = None
        if stage == 'connect' and verdict == 'shutdown':
            want = replies[0][1]  # the greeting
        elif stage in ('connect', 'helo', 'mail') and verdict != 'continue':
            want = reply_to('MAIL From:')
        elif stage == 'rcpt':
            if verdict != 'continue':
                want = reply_to('RCPT To:', nrcpt)
            nrcpt += 1
        elif stage == 'unknown' and verdict != 'continue':
            want = reply_to(unknown)
        elif stage == 'eom' and verdict in ('reject', 'tempfail'):
            want = reply_to('.')
        if want is not None and want != reply:
            errors.append('%s: sendmail %r, sdmail %r' % (stage, want, reply))
    queued = oracle_queue(text)
    last = stages[-1] if stages else None
    if last and last[0] == 'eom' and last[1] == 'discard' and queued is not None:
        errors.append('discarded, but sendmail queued it')
    if last and last[0] == 'eom' and last[1] == 'continue':
        if queued is None:
            errors.append('accepted, but sendmail did not queue it')
        else:
            sender, qrcpts, quarantine, headers = qf_message(queued[0])
            got = (msg.get('sender'), msg['rcpts'], msg.get('quarantine'),
                   visible(msg['headers']), msg.get('body'))
            want = (sender, qrcpts, quarantine, visible(headers), queued[1])
            for what, g, w in zip(('sender', 'recipients', 'quarantine', 'headers', 'body'),
                                  got, want):
                if g != w:
                    errors.append('%s: sendmail %r, sdmail %r' % (what, w, g))
    return errors


def main():
    drive = sys.argv[1]
    only = sys.argv[2:]
    failed = 0
    for line in open(os.path.join(HERE, 'oracle-cases.txt')):
        if not line.strip() or line.startswith('#'):
            continue
        name, *specs = line.split()
        if only and name not in only:
            continue
        errors = check(name, specs, drive)
        print(('FAIL ' if errors else 'ok ') + name)
        for e in errors:
            print('   ', e)
        failed += bool(errors)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
