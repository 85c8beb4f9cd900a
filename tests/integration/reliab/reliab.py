#!/usr/bin/python3
"""reliab.py CASE SM-MTA MAKEMAP CF SINK_ROOT

sm-mta as a relay under stress, checked from outside with real processes.
Runs inside the golden sandbox (tests/golden/sandbox.sh: root, a private
network with only loopback, hostname oracle.example.org, /var/spool on a
tmpfs).  sm-mta runs with CF (sdmail's default configuration plus a smart
host, relay.m4) on port 25 and relays to Postfix's smtp-sink on
127.0.0.1:2526, which writes every message it receives to a file of its
own (-d).  Every message carries an X-Reliab-Id header, so that what the
sink got can be matched with what the clients were told.

CASE is one of:
  kill         500 messages from 4 smtplib clients while sm-mta's whole
               process group is killed (SIGKILL) and restarted 6 times
  fulldisk     the queue on a small tmpfs: MinFreeBlocks, a df that does
               not fit, queue runs while the disk is full, then space
  unreachable  a mailertable route to a port where nothing listens,
               retried by queue runs and returned after Timeout.queuereturn
  handoff      who delivers in DeliveryMode background: the message a
               client follows with QUIT, the session process after the
               close; messages followed by more commands, one delivery
               process per session, one after the other
"""
import difflib
import email
import os
import pwd
import random
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time

CASE, SM_MTA, MAKEMAP, CF, SINK_ROOT = sys.argv[1:6]
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "daemon"))
from common import check, exit_status, failures, give_to_daemon  # noqa: E402

CHECK_DSN = os.path.join(HERE, "..", "submit", "check-dsn.py")
NORMALIZE = os.path.join(HERE, "..", "normalize.py")
QUEUE = "/var/spool/mqueue"
SINK_PORT = 2526
SENDER = "sender@client.test"


def wait_until(pred, seconds, step=0.1):
    """Polls pred() until it is true; False after `seconds` (a bound on a
    hang, never a measurement)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def listening(port, addr="0100007F"):
    """Something listens on 127.0.0.1:port or *:port (read from the
    kernel, not probed: a probe would be a session in sm-mta's log)."""
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            a, p = local.split(":")
            if state == "0A" and int(p, 16) == port and a in (addr, "00000000"):
                return True
    return False


# ---- the sandbox ------------------------------------------------------------

def prepare(work):
    """The sender's domain resolves (check_mail), the maps the default
    configuration names exist, the queue belongs to smmta."""
    with open("/etc/hosts", "a") as f:
        # one name a line: each is its own canonical name
        f.write("127.0.0.3\tclient.test\n127.0.0.4\tdest.test\n127.0.0.5\tunreachable.test\n")
    with open("/etc/mail/mailertable", "w") as f:
        f.write("unreachable.test\trelay:[127.0.0.2]\n")
    for name in ["mailertable", "virtusertable", "genericstable"]:
        path = "/etc/mail/" + name
        if not os.path.exists(path):
            open(path, "w").close()
        with open(path) as f:
            subprocess.run([MAKEMAP, "hash", path], stdin=f, check=True)
    give_to_daemon()
    os.chmod(QUEUE, 0o700)
    if not os.path.exists("/etc/mail/local-host-names"):
        open("/etc/mail/local-host-names", "w").close()
    cf = os.path.join(work, "sendmail.cf")
    shutil.copy(CF, cf)
    os.chmod(cf, 0o644)
    return cf


def queue_files():
    return sorted(os.listdir(QUEUE))


def queued():
    return [f for f in queue_files() if f.startswith("qf")]


# ---- Postfix's smtp-sink ------------------------------------------------------

class Sink:
    def __init__(self, work):
        self.dump = os.path.join(work, "sink")
        os.mkdir(self.dump)
        os.chmod(self.dump, 0o777)
        self.log = open(os.path.join(work, "sink.log"), "w")
        self.proc = None

    def start(self):
        env = dict(os.environ, LD_LIBRARY_PATH=SINK_ROOT + "/usr/lib/postfix")
        self.proc = subprocess.Popen(
            [SINK_ROOT + "/usr/sbin/smtp-sink", "-u", "nobody", "-d", self.dump + "/%M.",
             "127.0.0.1:%d" % SINK_PORT, "100"], env=env, stdout=self.log, stderr=self.log)
        if not wait_until(lambda: listening(SINK_PORT), 10):
            raise RuntimeError("smtp-sink does not listen")

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None

    def messages(self):
        """{X-Reliab-Id: [(mtime, parsed message, raw bytes)]}, and the
        messages without the header (DSNs)."""
        by_id, other = {}, []
        for name in os.listdir(self.dump):
            path = os.path.join(self.dump, name)
            with open(path, "rb") as f:
                raw = f.read()
            msg = email.message_from_bytes(raw)
            rid = msg.get("X-Reliab-Id")
            if rid is None:
                other.append((path, msg))
            else:
                by_id.setdefault(rid, []).append((os.stat(path).st_mtime, msg, raw))
        return by_id, other


# ---- sm-mta -----------------------------------------------------------------

class MTA:
    def __init__(self, work, cf, *opts):
        self.cf = cf
        self.opts = list(opts)
        self.err = open(os.path.join(work, "sm-mta.log"), "a+")
        self.proc = None
        self.starts = 0

    def start(self):
        # its own process group: a kill takes the sessions, the deliveries
        # and the queue runner with it
        self.proc = subprocess.Popen([SM_MTA, "-bD", "-C", self.cf] + self.opts,
                                     stdout=self.err, stderr=self.err, start_new_session=True)
        self.starts += 1
        if not wait_until(lambda: listening(25), 10):
            raise RuntimeError("sm-mta does not listen: " + self.log())

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        # the group's other members die with it; wait until none is left
        wait_until(lambda: not group_alive(self.proc.pid), 10, 0.02)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(40)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        wait_until(lambda: not group_alive(self.proc.pid), 10, 0.02)

    def log(self):
        self.err.flush()
        self.err.seek(0)
        return self.err.read()


def group_alive(pgid):
    """A member of the group still runs.  Zombies do not count: they hold
    no file, lock or socket, and where PID 1 is not systemd (CI) the
    orphans among them are reaped only every few seconds."""
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if os.getpgid(int(p)) != pgid:
                    continue
                with open("/proc/%s/stat" % p) as f:
                    if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                        return True
            except (ProcessLookupError, FileNotFoundError):
                pass
    return False


# ---- clients ------------------------------------------------------------------

def message(rid, body=b"body line\n"):
    head = ("From: <%s>\nTo: <rcpt@dest.test>\nSubject: reliab %s\nMessage-Id: <%s@client.test>\n"
            "X-Reliab-Id: %s\n\n" % (SENDER, rid, rid, rid)).encode()
    return (head + body).replace(b"\n", b"\r\n")  # smtplib sends bytes as they are


def sent_body(raw):
    """The body as the sink got it: after the first empty line."""
    raw = raw.replace(b"\r\n", b"\n")
    body = raw.split(b"\n\n", 1)[1]
    return body[:-1] if body.endswith(b"\n") else body  # the empty line smtp-sink adds


def transaction(c, rid, rcpt, body):
    """One MAIL/RCPT/DATA on connection c: (code, text) of the last reply."""
    if c.ehlo_resp is None:
        c.ehlo()
    code, text = c.mail(SENDER)
    if code != 250:
        c.rset()
        return code, text
    code, text = c.rcpt(rcpt)
    if code != 250:
        c.rset()
        return code, text
    return c.data(message(rid, body))


# ---- kill ---------------------------------------------------------------------

def case_kill(work, cf):
    total, clients, kills = 500, 4, 6
    rnd = random.Random(5321)
    sink = Sink(work)
    sink.start()
    mta = MTA(work, cf, "-q1s", "-O", "MaxDaemonChildren=0", "-O", "ConnectionRateThrottle=0")
    mta.start()
    lock = threading.Lock()
    todo = [str(i) for i in range(total)]
    first_try, accepted, attempts, refusals = {}, {}, {}, {}
    kill_times = []
    done = threading.Event()

    # random points, spread over the intake: kill i when about (i+1)/(kills+1)
    # of the messages are in, give or take 20, however fast the clients are
    targets = [(i + 1) * total // (kills + 1) + rnd.randrange(-20, 21) for i in range(kills)]
    # the clients wait for a kill that is due once they are 20 messages
    # past its point: a fast intake does not outrun the killer
    due = [0]

    def wait_for_killer():
        end = time.monotonic() + 30
        while (due[0] < kills and len(accepted) >= targets[due[0]] + 20 and
               not done.is_set() and time.monotonic() < end):
            time.sleep(0.005)

    def client(n):
        c = None
        while True:
            wait_for_killer()
            with lock:
                if not todo:
                    break
                rid = todo.pop(0)
                first_try.setdefault(rid, time.time())
                attempts[rid] = attempts.get(rid, 0) + 1
            try:
                if c is None:
                    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.test", timeout=30)
                code, text = transaction(c, rid, "rcpt%d@dest.test" % n, b"body of %s\n" % rid.encode())
            except (OSError, smtplib.SMTPException) as e:
                code, text, c = 0, type(e).__name__.encode(), None
                time.sleep(0.05)
            with lock:
                if code == 250:
                    accepted[rid] = text
                else:
                    why = "%d %s" % (code, text.decode(errors="replace")[:40])
                    refusals[why] = refusals.get(why, 0) + 1
                    todo.append(rid)  # retried later, as a real client does
            # a new connection every few messages, so that sessions start
            # and end all the time
            if c is not None and len(accepted) % 7 == n:
                try:
                    c.quit()
                except (OSError, smtplib.SMTPException):
                    pass
                c = None
        if c is not None:
            try:
                c.quit()
            except (OSError, smtplib.SMTPException):
                pass

    def killer():
        for target in targets:
            while len(accepted) < target and not done.is_set():
                time.sleep(0.01)
            if done.is_set():
                break
            time.sleep(rnd.random() * 0.05)
            kill_times.append(time.time())
            mta.kill()
            mta.start()
            due[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    k = threading.Thread(target=killer)
    for t in threads:
        t.start()
    k.start()
    for t in threads:
        t.join(100)
    done.set()
    k.join(30)
    check(len(accepted) == total, "every message got its 250 in the end (%d of %d; %d kills)" %
          (len(accepted), total, len(kill_times)))
    check(len(kill_times) == kills, "sm-mta killed while the clients sent (%d times)" % len(kill_times))
    # the last queue runs: the queue drains and the sink has everything
    check(wait_until(lambda: not queued(), 60, 0.5), "the queue is empty at the end (%s)" % queued())
    # a message sent after all this still goes through
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.test", timeout=30)
    code, _ = transaction(c, "after", "rcpt@dest.test", b"after the kills\n")
    c.quit()
    check(code == 250, "a message after the kills is accepted")
    check(wait_until(lambda: "after" in sink.messages()[0] and not queued(), 30, 0.3),
          "and delivered")
    mta.stop()
    sink.stop()

    by_id, other = sink.messages()
    missing = [r for r in accepted if r not in by_id]
    check(not missing, "every accepted message is at the sink (missing: %s)" % missing[:10])
    check(not other, "nothing else at the sink (%d other messages)" % len(other))
    bad_body = [r for r, copies in by_id.items() if r != "after" and any(
        sent_body(raw) != b"body of %s\n" % r.encode() for _, _, raw in copies)]
    check(not bad_body, "every copy at the sink is intact (%s)" % bad_body[:10])
    dups = {r: copies for r, copies in by_id.items() if len(copies) > 1}
    unexplained = []
    for r, copies in dups.items():
        last = max(m for m, _, _ in copies)
        # in flight at a kill: one of the kills came between the first
        # attempt to send it and its last arrival at the sink
        if not any(first_try[r] < kt < last for kt in kill_times):
            unexplained.append(r)
        extra = len(copies) - 1
        if extra > sum(1 for kt in kill_times if first_try[r] < kt < last):
            unexplained.append(r)
    print("attempts that failed and were made again: %s" % refusals)
    print("duplicates: %d message(s) arrived more than once (%d extra copies), %d kills" %
          (len(dups), sum(len(c) - 1 for c in dups.values()), len(kill_times)))
    check(not unexplained, "duplicates only for messages in flight at a kill (%s)" %
          sorted(set(unexplained))[:10])
    left = queue_files()
    print("left in the queue directory: %s" % (left or "nothing"))
    check(not [f for f in left if not f.startswith(("df", "tf"))],
          "no queue entry left, only data or temporary files of sessions cut short")
    check(len(left) <= len(kill_times) * (clients + 1),
          "at most one leftover file per session cut short (%d)" % len(left))


# ---- fulldisk -------------------------------------------------------------------

def statvfs_free_blocks():
    st = os.statvfs(QUEUE)
    return st.f_bavail, st.f_frsize


def fill_to(free_blocks, filler):
    """Make the queue's file system have about `free_blocks` free."""
    if os.path.exists(filler):
        os.unlink(filler)
    avail, bsize = statvfs_free_blocks()
    size = max(0, (avail - free_blocks) * bsize)
    with open(filler, "wb") as f:
        chunk = b"\0" * (64 * 1024)
        while size > 0:
            n = min(size, len(chunk))
            try:
                f.write(chunk[:n])
                f.flush()
            except OSError:
                break
            size -= n


def one_message(rid, body, size_param=False):
    """A session with one transaction: the replies to MAIL and to the end
    of DATA (or to whatever ended it) as text."""
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.test", timeout=30)
    try:
        c.ehlo()
        opts = ["SIZE=%d" % (len(body) + 200)] if size_param else []
        code, text = c.mail(SENDER, opts)
        if code != 250:
            return "%d %s" % (code, text.decode()), None
        code, text = c.rcpt("rcpt@dest.test")
        if code != 250:
            return "mail ok", "%d %s" % (code, text.decode())
        try:
            code, text = c.data(message(rid, body))
        except smtplib.SMTPServerDisconnected as e:
            return "mail ok", "disconnected: %s" % e
        return "mail ok", "%d %s" % (code, text.decode())
    finally:
        try:
            c.quit()
        except (OSError, smtplib.SMTPException):
            pass


def oracle_replies():
    """sendmail 8.17.1's replies (expected/disk-replies.txt, captured by
    capture-oracle.sh)."""
    replies = {}
    with open(os.path.join(HERE, "expected", "disk-replies.txt")) as f:
        for line in f:
            if not line.startswith("#"):
                name, reply = line.rstrip("\n").split("\t")
                replies[name] = reply
    return replies


def case_fulldisk(work, cf):
    want = oracle_replies()
    # a 2 MB queue file system; the default MinFreeBlocks is 100 (4 KB
    # blocks here)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", QUEUE], check=True)
    smmta = pwd.getpwnam("smmta")
    os.chown(QUEUE, smmta.pw_uid, smmta.pw_gid)
    filler = os.path.join(QUEUE, "filler")  # root's: what filled the disk
    bodies = {}
    sink = Sink(work)
    # no sink yet: every message stays queued (Connection refused)
    mta = MTA(work, cf, "-q2s")
    mta.start()
    try:
        for i in range(20):
            rid = "q%d" % i
            bodies[rid] = ("queued message %d\n" % i).encode() * (i * 20 + 1)
            r = one_message(rid, bodies[rid])
            check(r[1] is not None and r[1].startswith("250 2.0.0"), "%s queued: %s" % (rid, r))
        check(wait_until(lambda: len(queued()) == 20, 20), "20 entries queued")
        before = {f: open(os.path.join(QUEUE, f), "rb").read() for f in queue_files()
                  if f.startswith("df")}

        # below MinFreeBlocks: MAIL is refused, with SIZE= or without
        fill_to(50, filler)
        for size_param, case in ((False, "mail-minfree"), (True, "mail-size-minfree")):
            mail, _ = one_message("m", b"x\n", size_param)
            check(mail == want[case], "%s: %s" % (case, mail))

        # above it, but the message does not fit: 421 4.3.1 at DATA
        fill_to(150, filler)  # 600 KB free, 400 KB over MinFreeBlocks
        big = b"".join(b"line %06d of a message larger than the free space\n" % i
                       for i in range(16000))  # 0.8 MB
        mail, data = one_message("big", big)
        check(mail == "mail ok" and data == want["data-no-space"],
              "data-no-space, a message larger than the free space: %s / %s" % (mail, data))
        check(not [f for f in queue_files() if f.startswith(("df", "qf", "tf")) and
                   f[2:] not in [q[2:] for q in before]],
              "nothing of the refused message is left: %s" % queue_files())

        # the disk completely full while queue runs try (and fail) again
        fill_to(0, filler)
        runs_before = mta.log().count("Connection refused by")
        check(wait_until(lambda: mta.log().count("Connection refused by") >= runs_before + 20, 30),
              "queue runs went on with the disk full")
        mail, _ = one_message("full", b"x\n")
        check(mail == want["mail-minfree"], "MAIL on a full disk: %s" % mail)
        after = {f: open(os.path.join(QUEUE, f), "rb").read() for f in queue_files()
                 if f.startswith("df")}
        check(after == before, "every queued body is still there, unchanged")
        check(len(queued()) == 20, "every entry is still queued (%d)" % len(queued()))

        # space again, the next hop back: everything goes out intact
        os.unlink(filler)
        sink.start()
        rid = "late"
        bodies[rid] = b"sent once there was space again\n"
        r = one_message(rid, bodies[rid])
        check(r[1] is not None and r[1].startswith("250 2.0.0"), "accepted again: %s" % (r,))
        check(wait_until(lambda: not queued(), 30, 0.3), "the queue drained (%s)" % queued())
    finally:
        mta.stop()
        sink.stop()
    by_id, other = sink.messages()
    check(sorted(by_id) == sorted(bodies), "the sink has every accepted message once: %s" %
          sorted(by_id))
    for rid, copies in sorted(by_id.items()):
        if len(copies) != 1 or sent_body(copies[0][2]) != bodies[rid]:
            check(False, "%s arrived intact, once" % rid)
    check(not other, "nothing else at the sink")
    check(not [f for f in queue_files()], "the queue directory is empty: %s" % queue_files())
    subprocess.run(["umount", QUEUE])


# ---- unreachable ------------------------------------------------------------------

def case_unreachable(work, cf):
    sink = Sink(work)
    sink.start()
    # queue runs every 2 s; entries are returned 6 s after their arrival
    mta = MTA(work, cf, "-q2s", "-O", "Timeout.queuereturn=6s")
    mta.start()
    try:
        c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.test", timeout=30)
        c.ehlo()
        code, text = c.mail(SENDER)
        code2, _ = c.rcpt("nobody@unreachable.test")
        code3, _ = c.rcpt("somebody@dest.test")
        code4, text4 = c.data(message("u1"))
        c.quit()
        check((code, code2, code3, code4) == (250, 250, 250, 250),
              "accepted: %d %d %d %d %s" % (code, code2, code3, code4, text4))
        qid = text4.decode().split()[1]
        # the reachable recipient goes out at once, the other waits
        deferred_line = ("to=<nobody@unreachable.test>, delay=", "mailer=relay, pri=",
                         "relay=[127.0.0.2] [127.0.0.2], dsn=4.4.1, "
                         "stat=Deferred: Connection refused by [127.0.0.2]")

        def deferrals():
            return [l for l in mta.log().splitlines()
                    if qid in l and all(p in l for p in deferred_line)]

        check(wait_until(lambda: len(deferrals()) >= 1, 20), "deferred: %s" %
              (deferrals()[:1] or mta.log()))
        check(wait_until(lambda: "u1" in sink.messages()[0], 20),
              "the other recipient delivered right away")
        check(wait_until(lambda: len(deferrals()) >= 2, 20),
              "retried by a queue run (%d deferrals)" % len(deferrals()))
        # after Timeout.queuereturn: returned to the sender, entry gone
        check(wait_until(lambda: not queued(), 30, 0.3), "the entry is gone after queuereturn")
        check(wait_until(lambda: sink.messages()[1], 20), "a DSN reached the sink")
    finally:
        mta.stop()
        sink.stop()
    by_id, dsns = sink.messages()
    check(len(by_id.get("u1", [])) == 1, "u1 delivered once to the reachable recipient")
    check(len(dsns) == 1, "one DSN (%d)" % len(dsns))
    for path, msg in dsns:
        r = subprocess.run(["/usr/bin/python3", CHECK_DSN, path, "failed", "hdrs"],
                           capture_output=True, text=True)
        check(r.returncode == 0, "DSN structure (check-dsn.py): " + r.stdout.strip())
        got = subprocess.run(["/usr/bin/python3", NORMALIZE], stdin=open(path, "rb"),
                             capture_output=True, check=True).stdout.decode("latin-1")
        with open(os.path.join(HERE, "expected", "unreachable-dsn.txt"), encoding="latin-1") as f:
            want = f.read()
        check(got == want, "the DSN is sendmail 8.17.1's (expected/unreachable-dsn.txt)")
        if got != want:
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), "sendmail 8.17.1", "sdmail"))
    log = mta.log()
    check("dsn=2.0.0, stat=Sent" in log, "to= line with stat=Sent for the DSN")


# ---- handoff ------------------------------------------------------------------

def log_pid(line):
    """The process ID of a log line: "... sm-mta[PID]: ..."."""
    return int(line.split("]: ", 1)[0].rsplit("[", 1)[1])


def case_handoff(work, cf):
    sink = Sink(work)
    sink.start()
    mta = MTA(work, cf, "-q10m")
    mta.start()
    # -q10m runs the queue once at start-up, after the accept loop's first
    # second (or first connection): let that run pass, or it may take a
    # message of the longer session before its delivery process does
    time.sleep(2)
    try:
        # one message, then QUIT
        c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.test", timeout=30)
        code, text = transaction(c, "h1", "one@dest.test", b"body line\n")
        c.quit()
        check(code == 250, "h1 accepted: %d %s" % (code, text))
        first = text.decode().split()[1]
        # three messages on one connection, a pause after the last
        c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.test", timeout=30)
        ids = []
        for rid in ["h2", "h3", "h4"]:
            code, text = transaction(c, rid, "one@dest.test", b"body line\n")
            check(code == 250, "%s accepted: %d %s" % (rid, code, text))
            ids.append(text.decode().split()[1])
        check(wait_until(lambda: len(sink.messages()[0]) == 4, 20),
              "all four at the sink before the client quits: %s" % sorted(sink.messages()[0]))
        c.quit()
        check(wait_until(lambda: not queued(), 20), "the queue is empty: %s" % queue_files())
    finally:
        mta.stop()
        sink.stop()
    lines = mta.log().splitlines()

    def pid_of(qid, what):
        got = [log_pid(l) for l in lines if qid + ": " + what in l]
        check(len(got) == 1, "one %s line for %s: %s" % (what, qid, got))
        return got[0] if got else -1

    sent = [l for l in lines if "to=<one@dest.test>, delay=" in l and "stat=Sent" in l]
    check(len(sent) == 4, "four to= lines with stat=Sent: %s" % sent)
    for l in sent:
        check(", xdelay=" in l and "mailer=relay, pri=" in l and "relay=[127.0.0.1]" in l,
              "to= line in sendmail's form: " + l)
    check(pid_of(first, "to=") == pid_of(first, "from="),
          "the message before QUIT: delivered by its session process")
    session = pid_of(ids[0], "from=")
    workers = {pid_of(q, "to=") for q in ids}
    check(len(workers) == 1 and session not in workers,
          "the messages of a longer session: one delivery process, not the session "
          "(session %d, deliveries %s)" % (session, sorted(workers)))


def main():
    work = tempfile.mkdtemp(prefix="sdmail-reliab.")
    os.chmod(work, 0o755)
    cf = prepare(work)
    try:
        {"kill": case_kill, "fulldisk": case_fulldisk, "unreachable": case_unreachable,
         "handoff": case_handoff}[CASE](work, cf)
    finally:
        log = os.path.join(work, "sm-mta.log")
        if failures and os.path.exists(log):
            print("--- sm-mta's log (last 60 lines):")
            print("".join(open(log).readlines()[-60:]))
    print("%d failure(s)" % len(failures))
    if not failures:
        shutil.rmtree(work, ignore_errors=True)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
