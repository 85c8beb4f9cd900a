#!/usr/bin/python3
"""Sessions whose log lines tests/integration/daemon/run-journal.sh checks.

Run inside the golden sandbox with a standalone journald
(tests/integration/log/journal.sh).  sm-mta at LogLevel 14 gets: a
message over STARTTLS (STARTTLS=server and from= lines), a client from
another address whose sender domain does not resolve (delay_checks: the
check_rcpt reject line and the from= line of a transaction that ends
without DATA, under one queue ID), and a client that vanishes after MAIL
(lost input channel, then that transaction's from= line).
"""
import os
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import time

SM_MTA = sys.argv[1]


from common import certtool, give_to_daemon, start_mta


d = tempfile.mkdtemp(prefix="sm-mta-journal.")
os.chmod(d, 0o755)
open(f"{d}/t", "w").write("cn = oracle.example.org\nexpiration_days = 2\ntls_www_server\n")
certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", f"{d}/key")
certtool("--generate-self-signed", "--load-privkey", f"{d}/key", "--template", f"{d}/t",
         "--outfile", f"{d}/crt")
smmta = give_to_daemon()
os.chown(f"{d}/key", smmta.pw_uid, 0)
proc = start_mta(SM_MTA, "-O", "LogLevel=14", "-L", "sm-mta-test",
                 "-O", f"ServerCertFile={d}/crt", "-O", f"ServerKeyFile={d}/key")

ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
c.starttls(context=ctx)
c.sendmail("root@oracle.example.org", ["root@oracle.example.org"],
           "Message-Id: <journal-test@client.example.com>\r\nSubject: journal\r\n\r\nbody\r\n")
c.quit()

# a stranger (not "127" in the access map) gets check_mail's tests
subprocess.run(["ip", "addr", "add", "10.9.9.9/32", "dev", "lo"], check=True)
c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com",
                 source_address=("10.9.9.9", 0))
c.ehlo()
c.mail("someone@unresolvable.example")
c.rcpt("root@oracle.example.org")  # delay_checks: the sender is checked here
c.quit()

s = socket.create_connection(("127.0.0.1", 25))
f = s.makefile("rb")
f.readline()
s.sendall(b"HELO client.example.com\r\n")
f.readline()
s.sendall(b"MAIL FROM:<root@oracle.example.org>\r\n")
f.readline()
f.close()
s.close()
time.sleep(0.5)
proc.send_signal(signal.SIGTERM)
proc.wait(timeout=40)
