#!/usr/bin/python3
"""SMTP AUTH through sm-mta, and the log lines fail2ban reads.

Run by run-auth.sh inside the golden sandbox with a real libsasl2 and a
sasldb (tests/integration/auth/sasl-sandbox.sh: alice / s3cret).  sm-mta
runs by hand, so its log lines go to standard error in syslog form.
Python's smtplib logs in with a wrong and then the right password over
the MTA port; the MSA port (M=Ea) takes mail once the client has
authenticated.  Then the AUTH failure line must be matched by Debian's
stock fail2ban filter sendmail-auth, and the AUTH=server line must be
there.
"""
import os
import smtplib
import subprocess
import sys
import tempfile
import time

SM_MTA = sys.argv[1]
from common import check, exit_status, give_to_daemon, start_mta, stop_mta

smmta = give_to_daemon()
# the sasldb is the daemon user's to read, as with sendmail's smmta setups
os.chmod("/usr/lib/sasl2", 0o755)
os.chown("/usr/lib/sasl2/sasldb2", smmta.pw_uid, 0)
err = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
os.chmod(err.name, 0o644)
proc = start_mta(SM_MTA, "-O", "LogLevel=14", "-O", "AuthMechanisms=PLAIN LOGIN",
                 ports=(587,), stderr=err)

c = smtplib.SMTP("127.0.0.1", 587, local_hostname="client.example.com")
c.ehlo()
check(c.esmtp_features.get("auth", "").split() == ["PLAIN", "LOGIN"], "AUTH offered: %s" % c.esmtp_features.get("auth"))
code, text = c.mail("alice@oracle.example.org")
check(code == 530, "MSA (M=Ea): MAIL before AUTH refused (%d)" % code)
try:
    c.login("alice", "wrong")
    check(False, "a wrong password is refused")
except smtplib.SMTPAuthenticationError as e:
    check(e.smtp_code == 535, "a wrong password is refused: %d %s" % (e.smtp_code, e.smtp_error))
c.quit()
c = smtplib.SMTP("127.0.0.1", 587, local_hostname="client.example.com")
c.ehlo()
code, text = c.login("alice", "s3cret")
check(code == 235, "the right password: %d %s" % (code, text))
refused = c.sendmail("alice@oracle.example.org", ["root@oracle.example.org"],
                     "Subject: authenticated\r\n\r\nhi\r\n")
check(refused == {}, "the authenticated client's message is accepted")
c.quit()
time.sleep(0.5)
stop_mta(proc)
err.seek(0)
log = err.read()
print("--- log:\n" + log)
check(any("AUTH=server, relay=oracle.example.org [127.0.0.1], authid=alice" in l and "mech=PLAIN" in l
          for l in log.splitlines()), "AUTH=server line")
check("proto=ESMTPA" in log, "from= line with proto=ESMTPA")
fail = [l for l in log.splitlines() if "AUTH failure (" in l]
check(len(fail) == 2 and "AUTH failure (PLAIN)" in fail[0] and "AUTH failure (LOGIN)" in fail[1],
      "an AUTH failure line for each mechanism smtplib tried (PLAIN, then LOGIN)")
if os.path.exists("/etc/fail2ban/filter.d/sendmail-auth.conf"):
    r = subprocess.run(["fail2ban-regex", err.name, "/etc/fail2ban/filter.d/sendmail-auth.conf"],
                       capture_output=True, text=True)
    check("Failregex: 2 total" in r.stdout, "fail2ban's sendmail-auth matches the failure:\n" +
          "\n".join(l for l in r.stdout.splitlines() if "total" in l or "Lines" in l))
else:
    print("(fail2ban not installed: filter not checked)")
os.unlink(err.name)
sys.exit(exit_status())
