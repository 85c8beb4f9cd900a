"""What the Python tests of sm-mta share (run by run-py.sh in the golden sandbox).

check() records a result and prints it; exit_status() is the test's exit
code.  give_to_daemon() hands the queue and the maps to the daemon user, as
a packaged install does (sm-mta never runs as root).  start_mta() starts
sm-mta -bD and returns once every port given answers; stop_mta() ends it
with SIGTERM, the way systemd does.
"""
import glob
import os
import pwd
import signal
import socket
import subprocess
import time

failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def exit_status():
    return 1 if failures else 0


def daemon_user():
    return pwd.getpwnam("smmta")


def give_to_daemon():
    """The queue to smmta, the maps readable by its group only."""
    smmta = daemon_user()
    os.chown("/var/spool/mqueue", smmta.pw_uid, smmta.pw_gid)
    for f in glob.glob("/etc/mail/*.db"):
        os.chown(f, 0, smmta.pw_gid)
        os.chmod(f, 0o640)
    return smmta


def wait_for_ports(*ports, settle=0.5):
    for _ in range(100):
        try:
            for port in ports:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    time.sleep(settle)


def start_mta(sm_mta, *opts, ports=(25,), settle=0.5, **popen_args):
    proc = subprocess.Popen([sm_mta, "-bD", "-odq", *opts], stdin=subprocess.DEVNULL,
                            **popen_args)
    wait_for_ports(*ports, settle=settle)
    return proc


def stop_mta(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=40)


def certtool(*args):
    subprocess.run(["certtool", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
