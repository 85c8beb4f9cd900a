#!/usr/bin/python3
"""sm-mta's STARTTLS and implicit TLS with real GnuTLS handshakes.

Run inside the golden sandbox (root, Debian's sendmail.cf).  certtool
makes a CA, a server certificate for oracle.example.org and a client
certificate; sm-mta gets them through ServerCertFile/ServerKeyFile/
CACertFile and an extra M=s daemon for implicit TLS.  Python's ssl module
(OpenSSL) is the client: STARTTLS with and without a client certificate
(${verify} OK / NO in the Received header of the queued message), the
CVE-2011-0411 injection (a command pipelined behind STARTTLS must be
thrown away), STARTTLS twice, TLS from the first byte on the M=s port,
and tls_client with a TLS_Clt: access entry that wants verified clients.
"""
import glob
import os
import re
import signal
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import time

SM_MTA = sys.argv[1]
from common import certtool, check, exit_status, give_to_daemon, start_mta, stop_mta


def make_certs(d):
    def tmpl(name, text):
        p = os.path.join(d, name)
        open(p, "w").write(text)
        return p
    for k in ("ca", "server", "client"):
        certtool("--generate-privkey", "--key-type=ecdsa", "--outfile", f"{d}/{k}.key")
    certtool("--generate-self-signed", "--load-privkey", f"{d}/ca.key", "--template",
             tmpl("ca.tmpl", "cn = sdmail test CA\nca\ncert_signing_key\nexpiration_days = 2\n"),
             "--outfile", f"{d}/ca.crt")
    for k, t in (("server", "cn = oracle.example.org\ndns_name = oracle.example.org\n"
                  "tls_www_server\nexpiration_days = 2\n"),
                 ("client", "cn = client.example.com\ntls_www_client\nexpiration_days = 2\n")):
        certtool("--generate-certificate", "--load-privkey", f"{d}/{k}.key", "--load-ca-certificate",
                 f"{d}/ca.crt", "--load-ca-privkey", f"{d}/ca.key", "--template",
                 tmpl(k + ".tmpl", t), "--outfile", f"{d}/{k}.crt")


def received_lines():
    out = []
    for qf in sorted(glob.glob("/var/spool/mqueue/qf*"), key=os.path.getmtime):
        text = open(qf, errors="replace").read()
        m = re.search(r"H\?\?Received: (.*?)\nH", text, re.S)
        out.append(m.group(1) if m else "")
        os.unlink(qf)
        for df in glob.glob("/var/spool/mqueue/df" + os.path.basename(qf)[2:]):
            os.unlink(df)
    return out


def start_daemon(d, err):
    return start_mta(SM_MTA, "-O", f"ServerCertFile={d}/server.crt",
                     "-O", f"ServerKeyFile={d}/server.key",
                     "-O", f"CACertFile={d}/ca.crt",
                     "-O", "DaemonPortOptions=Name=MTA-SSL, Port=10465, Addr=127.0.0.1, M=s",
                     ports=(25, 10465), stderr=err)


def main():
    d = tempfile.mkdtemp(prefix="sm-mta-tls.")
    os.chmod(d, 0o755)
    make_certs(d)
    smmta = give_to_daemon()
    os.chown(f"{d}/server.key", smmta.pw_uid, 0)
    os.chmod(f"{d}/server.key", 0o600)
    err = open(f"{d}/stderr", "w+")
    proc = start_daemon(d, err)

    ctx = ssl.create_default_context(cafile=f"{d}/ca.crt")
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
    code, ehlo = c.ehlo()
    check(b"STARTTLS" in ehlo, "STARTTLS offered when ServerCertFile/KeyFile are set")
    ctx.check_hostname = False
    code, text = c.starttls(context=ctx)
    check(code == 220 and text == b"2.0.0 Ready to start TLS", "220 2.0.0 Ready to start TLS")
    check(c.sock.version() in ("TLSv1.3", "TLSv1.2"), "handshake done: %s" % c.sock.version())
    code, ehlo = c.ehlo()
    check(b"STARTTLS" not in ehlo, "no STARTTLS offered once TLS is on")
    code, text = c.docmd("STARTTLS")
    check(code == 503 and b"TLS already active" in text, "second STARTTLS: %d %s" % (code, text))
    c.sendmail("root@oracle.example.org", ["root@oracle.example.org"], "Subject: tls\r\n\r\nover TLS\r\n")
    c.quit()

    cctx = ssl.create_default_context(cafile=f"{d}/ca.crt")
    cctx.check_hostname = False
    cctx.load_cert_chain(f"{d}/client.crt", f"{d}/client.key")
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
    c.starttls(context=cctx)
    c.sendmail("root@oracle.example.org", ["root@oracle.example.org"], "Subject: tls\r\n\r\ncert\r\n")
    c.quit()
    time.sleep(0.3)
    rec = received_lines()
    check(len(rec) == 2, "two messages queued")
    if len(rec) == 2:
        check(re.search(r"\(version=TLSv1\.[23] cipher=\S+ bits=\d+ verify=NO\)", rec[0]) is not None,
              "Received without client certificate: verify=NO\n" + rec[0])
        check(re.search(r"\(version=TLSv1\.[23] cipher=\S+ bits=\d+ verify=OK\)", rec[1]) is not None,
              "Received with a client certificate from the CA: verify=OK\n" + rec[1])

    # CVE-2011-0411: what is pipelined behind STARTTLS is not executed
    raw = socket.create_connection(("127.0.0.1", 25), timeout=5)
    f = raw.makefile("rb")
    f.readline()
    raw.sendall(b"EHLO client.example.com\r\n")
    while not f.readline().startswith(b"250 "):
        pass
    raw.sendall(b"STARTTLS\r\nMAIL FROM:<injected@example.net>\r\n")
    line = f.readline()
    check(line.startswith(b"220 2.0.0"), "STARTTLS answered")
    tls = ctx.wrap_socket(raw, server_hostname="oracle.example.org")
    tls.sendall(b"EHLO client.example.com\r\n")
    first = tls.recv(4096)
    check(first.startswith(b"250-oracle.example.org"),
          "the injected MAIL was discarded, the first reply is EHLO's: %r" % first[:40])
    tls.sendall(b"MAIL FROM:<root@oracle.example.org>\r\n")
    reply = tls.recv(4096)
    check(reply.startswith(b"250 2.1.0"), "no sender was left from the injection: %r" % reply)
    tls.close()

    # implicit TLS on the M=s port
    s = smtplib.SMTP_SSL("127.0.0.1", 10465, local_hostname="client.example.com", context=ctx)
    code, ehlo = s.ehlo()
    check(code == 250 and b"STARTTLS" not in ehlo, "M=s: TLS from the first byte, no STARTTLS")
    s.quit()

    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=40)

    # tls_client: "TLS_Clt:127.0.0.1 VERIFY" wants a verified client
    # certificate; without one every command but QUIT, HELO, EHLO, NOOP,
    # RSET and HELP is refused after STARTTLS
    with open("/etc/mail/access", "a") as f:
        f.write("TLS_Clt:127.0.0.1\tVERIFY\n")
    subprocess.run(f'{os.environ["SANDBOX_MAKEMAP"]} hash /etc/mail/access < /etc/mail/access',
                   shell=True, check=True)
    os.chown("/etc/mail/access.db", 0, smmta.pw_gid)
    os.chmod("/etc/mail/access.db", 0o640)
    proc = start_daemon(d, err)
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
    c.starttls(context=ctx)
    c.ehlo()
    code, text = c.verify("root")
    check(code == 454 and text == b"4.7.0 not authenticated",
          "TLS_Clt VERIFY without a certificate: VRFY refused with tls_client's reply (%d %s)" % (code, text))
    code, _ = c.noop()
    check(code == 250, "NOOP still works")
    code, text = c.mail("root@oracle.example.org")
    check(code == 454, "MAIL refused too (%d %s)" % (code, text))
    c.quit()
    c = smtplib.SMTP("127.0.0.1", 25, local_hostname="client.example.com")
    c.starttls(context=cctx)
    c.ehlo()
    code, text = c.mail("root@oracle.example.org")
    check(code == 250, "with a certificate from the CA (verify=OK) MAIL is accepted (%d %s)" % (code, text))
    c.quit()
    stop_mta(proc)
    err.seek(0)
    print("--- sm-mta's stderr:\n" + err.read())
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
