#!/usr/bin/python3
"""The sendmail command pokes the MSP queue runner (submit/poke.c).

poke.py SENDMAIL SUBMIT_CF POKE_SOCKET SINK_CACHE

Runs in private mount and network namespaces (a tmpfs on the poke
socket's /run, nothing on 127.0.0.1:25 unless smtp-sink is started), as
root, with the built sendmail and a copy of the default submit.cf whose
queue is a temporary directory.  The listener is a real AF_UNIX datagram
socket bound where sm-client.socket binds it.  Checks: a deferred and a
queue-only submission send their queue ID; a message the MTA (Postfix's
smtp-sink) takes sends nothing; a full or missing socket neither blocks
nor fails a submission; and a queue run started with the socket in
LISTEN_FDS (as systemd starts sm-client.service) empties it.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SENDMAIL, SUBMIT_CF, POKE, SINK_CACHE = sys.argv[1:5]
failures = 0


def check(name, cond, detail=""):
    global failures
    if cond:
        print("ok:", name)
    else:
        failures += 1
        print("FAIL:", name, detail)


def enter_namespaces():
    if os.geteuid() != 0:
        print("SKIP: needs root (namespaces)")
        sys.exit(77)
    if os.environ.get("POKE_TEST_INSIDE") != "1":
        os.environ["POKE_TEST_INSIDE"] = "1"
        # the archive is out of reach inside the private network
        fetch = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fetch-sink.sh")
        have = subprocess.run(["sh", fetch, SINK_CACHE]).returncode == 0
        os.environ["POKE_TEST_SINK"] = "1" if have else "0"
        os.execvp("unshare", ["unshare", "-mn", "--propagation", "private",
                              sys.executable] + sys.argv)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    run_dir = os.path.dirname(os.path.dirname(POKE))
    subprocess.run(["mount", "-t", "tmpfs", "tmpfs", run_dir], check=True)
    os.makedirs(os.path.dirname(POKE))


def make_cf(work):
    """submit.cf with its queue in `work`; no smmsp user on a build host."""
    queue = os.path.join(work, "q")
    os.mkdir(queue, 0o700)
    lines = []
    for line in open(SUBMIT_CF):
        if line.startswith("O QueueDirectory="):
            line = "O QueueDirectory=%s\n" % queue
        elif line.startswith(("O RunAsUser=", "O TrustedUser=")):
            continue
        lines.append(line)
    cf = os.path.join(work, "submit.cf")
    with open(cf, "w") as f:
        f.writelines(lines)
    return cf, queue


def submit(cf, *opts, timeout=20):
    start = time.monotonic()
    r = subprocess.run([SENDMAIL, "-C", cf] + list(opts) + ["bob@[127.0.0.1]"],
                       input=b"Subject: poke\n\nhello\n", capture_output=True,
                       timeout=timeout)
    return r, time.monotonic() - start


def queued(queue):
    return sorted(n[2:] for n in os.listdir(queue) if n.startswith("qf"))


def pokes(sock):
    got = []
    while True:
        try:
            got.append(sock.recv(512).decode())
        except BlockingIOError:
            return got


def start_sink():
    if os.environ.get("POKE_TEST_SINK") != "1":
        return None
    env = dict(os.environ, LD_LIBRARY_PATH=SINK_CACHE + "/root/usr/lib/postfix")
    p = subprocess.Popen([SINK_CACHE + "/root/usr/sbin/smtp-sink", "-u", "nobody",
                          "127.0.0.1:25", "10"], env=env)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", 25)) == 0:
                return p
        time.sleep(0.05)
    p.kill()
    return None


def drained_by_runner(cf, sock_path):
    """A queue run given the socket as systemd gives it leaves it empty."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(sock_path)
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        for i in range(5):
            s.sendto(b"Q%d" % i, sock_path)
    pid = os.fork()
    if pid == 0:
        os.dup2(listener.fileno(), 3)
        os.set_inheritable(3, True)
        env = dict(os.environ, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()),
                   LISTEN_FDNAMES="poke")
        os.execve(SENDMAIL, [SENDMAIL, "-C", cf, "-q"], env)
    _, status = os.waitpid(pid, 0)
    listener.setblocking(False)
    left = pokes(listener)
    listener.close()
    os.unlink(sock_path)
    return os.waitstatus_to_exitcode(status), left


def main():
    enter_namespaces()
    work = tempfile.mkdtemp(prefix="sdmail-poke.")
    cf, queue = make_cf(work)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(POKE)
    sock.setblocking(False)

    r, _ = submit(cf, "-odi")
    ids = queued(queue)
    check("deferred submission exits 0 and stays queued", r.returncode == 0 and len(ids) == 1,
          repr(r))
    check("deferred submission pokes with its queue ID", pokes(sock) == ids, repr(ids))

    r, _ = submit(cf, "-odq")
    new = sorted(set(queued(queue)) - set(ids))
    check("queue-only submission pokes with its queue ID",
          r.returncode == 0 and pokes(sock) == new, repr(new))

    # fill the socket's receive queue: a run is already due
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_NONBLOCK) as s:
        try:
            while True:
                s.sendto(b"filler", POKE)
        except BlockingIOError:
            pass
    before = set(queued(queue))
    r, took = submit(cf, "-odi")
    check("a full poke socket neither blocks nor fails a submission",
          r.returncode == 0 and took < 10 and len(set(queued(queue)) - before) == 1,
          "rc %d, %.1f s" % (r.returncode, took))
    pokes(sock)

    sock.close()
    os.unlink(POKE)
    before = set(queued(queue))
    r, took = submit(cf, "-odi")
    check("no poke socket: the submission still succeeds",
          r.returncode == 0 and len(set(queued(queue)) - before) == 1, repr(r))

    rc, left = drained_by_runner(cf, POKE)
    check("a socket-activated queue run empties the poke socket", rc == 0 and left == [],
          "rc %d, left %r" % (rc, left))

    sink = start_sink()
    if sink is None:
        print("skipped: delivered submission (smtp-sink not available)")
    else:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(POKE)
        sock.setblocking(False)
        shutil.rmtree(queue)
        os.mkdir(queue, 0o700)
        r, _ = submit(cf, "-odi")
        left, got = queued(queue), pokes(sock)
        check("a message the MTA took sends no poke",
              r.returncode == 0 and left == [] and got == [],
              "rc %d, queued %r, pokes %r" % (r.returncode, left, got))
        sink.kill()
        sink.wait()

    shutil.rmtree(work)
    print("%d failed" % failures)
    sys.exit(1 if failures else 0)


main()
