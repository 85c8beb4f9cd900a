#!/usr/bin/python3
"""starttls.py SMTP_SEND MESSAGES_DIR

lib/smtp/client and lib/tls against a small SMTP server with STARTTLS
written here on Python's ssl module (OpenSSL), with certificates made by
certtool in a temporary directory.  The server records every command, the
raw DATA bytes, whether anything was pipelined behind STARTTLS, and what
OpenSSL negotiated, so the client's ${verify}, ${tls_version}, ${cipher},
${cipher_bits} and certificate macros are checked against an independent
TLS implementation.  Exit 77 (skipped) without certtool.
"""
import os
import re
import select
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading

SEND = sys.argv[1]
MESSAGES = sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


# --- certificates -----------------------------------------------------------

TEMPLATES = {
    "ca": 'cn = "sdmail test CA"\norganization = "sdmail test"\ncountry = US\n'
          "ca\ncert_signing_key\nexpiration_days = 2\n",
    "other-ca": 'cn = "unrelated CA"\ncountry = US\nca\ncert_signing_key\nexpiration_days = 2\n',
    "server": 'cn = "mx.test"\norganization = "sdmail test"\n'
              'unit = "mail \\"relay\\" (test)"\nlocality = "Z\u00fcrich"\ncountry = US\n'
              'dns_name = "mx.test"\ndns_name = "localhost"\nip_address = "127.0.0.1"\n'
              "tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 2\n",
    "client": 'cn = "client.test"\norganization = "sdmail test"\n'
              "tls_www_client\nsigning_key\nexpiration_days = 2\n",
}


def certtool(*args):
    subprocess.run(["certtool", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_certs(d):
    for name, text in TEMPLATES.items():
        with open(f"{d}/{name}.tmpl", "w", encoding="utf-8") as f:
            f.write(text)
        certtool("--generate-privkey", "--key-type", "rsa", "--bits", "2048",
                 "--outfile", f"{d}/{name}.key")
        if name.endswith("ca"):
            certtool("--generate-self-signed", "--load-privkey", f"{d}/{name}.key",
                     "--template", f"{d}/{name}.tmpl", "--outfile", f"{d}/{name}.pem")
        else:
            certtool("--generate-certificate", "--load-privkey", f"{d}/{name}.key",
                     "--load-ca-certificate", f"{d}/ca.pem", "--load-ca-privkey",
                     f"{d}/ca.key", "--template", f"{d}/{name}.tmpl",
                     "--outfile", f"{d}/{name}.pem")
    os.mkdir(f"{d}/capath")
    shutil.copy(f"{d}/ca.pem", f"{d}/capath/ca.pem")


# --- the server -------------------------------------------------------------

class Server(threading.Thread):
    """One SMTP server on 127.0.0.1; `mode` is normal, inject, refuse."""

    def __init__(self, ctx, mode="normal"):
        super().__init__(daemon=True)
        self.ctx, self.mode = ctx, mode
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.events = []  # (what, value, under_tls)
        self.start()

    def run(self):
        conn, _ = self.sock.accept()
        conn.settimeout(10)
        try:
            self.session(conn)
        except (OSError, ssl.SSLError) as e:
            self.events.append(("error", str(e), False))
        finally:
            conn.close()
            self.sock.close()

    def readline(self):
        while b"\n" not in self.buf:
            data = self.conn.recv(65536)
            if not data:
                raise EOFError
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return line + b"\n"

    def send(self, text):
        self.conn.sendall(text.encode())

    def session(self, conn):
        self.conn, self.buf, self.tls = conn, b"", False
        self.send("220 mx.test ESMTP test server\r\n")
        try:
            while self.command(self.readline()):
                pass
        except EOFError:
            self.events.append(("eof", "", self.tls))

    def command(self, line):
        verb = line[:4].upper()
        self.events.append(("cmd", line.decode("latin-1").rstrip("\r\n"), self.tls))
        if verb == b"EHLO":
            tls = "" if self.tls else "250-STARTTLS\r\n"
            self.send("250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                      f"250-SIZE 1000000\r\n250-DSN\r\n{tls}250 ENHANCEDSTATUSCODES\r\n")
        elif verb == b"STAR":
            return self.starttls()
        elif verb in (b"MAIL", b"RCPT", b"RSET"):
            self.send("250 2.0.0 ok\r\n")
        elif verb == b"DATA":
            self.send("354 go ahead\r\n")
            self.data()
        elif verb == b"QUIT":
            self.send("221 2.0.0 bye\r\n")
            return False
        else:
            self.send("500 5.5.1 unknown\r\n")
        return True

    def data(self):
        raw = b""
        while True:
            line = self.readline()
            raw += line
            if line == b".\r\n":
                break
        self.events.append(("data", raw, self.tls))
        self.send("250 2.0.0 queued\r\n")

    def starttls(self):
        # A client must wait for the reply: anything behind STARTTLS now,
        # or arriving before the 220, was pipelined (and is discarded).
        extra = self.buf
        if not extra and select.select([self.conn], [], [], 0.2)[0]:
            extra = self.conn.recv(65536)
        self.events.append(("pipelined", extra, False))
        self.buf = b""
        if self.mode == "refuse":
            self.send("454 4.7.0 TLS not available now\r\n")
            return True
        if self.mode == "inject":
            self.send("220 2.0.0 ready\r\n250 2.0.0 injected before the handshake\r\n")
        else:
            self.send("220 2.0.0 ready\r\n")
        try:
            self.conn = self.ctx.wrap_socket(self.conn, server_side=True)
        except (OSError, ssl.SSLError) as e:
            self.events.append(("handshake-error", str(e), False))
            return False
        self.tls = True
        peer = self.conn.getpeercert()
        self.events.append(("tls", (self.conn.version(), self.conn.cipher(), peer), True))
        return True

    def find(self, what):
        return [e for e in self.events if e[0] == what]


def server_ctx(certs, max_version=None, want_client_cert=False, min_version=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(f"{certs}/server.pem", f"{certs}/server.key")
    if max_version:
        ctx.maximum_version = max_version
    if min_version:
        ctx.minimum_version = min_version
    if want_client_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(f"{certs}/ca.pem")
    return ctx


# --- the client -------------------------------------------------------------

def send(server, *args, message="dots.eml", connects=True):
    cmd = [SEND, "--timeout", "10000", "--to", "rcpt@test.example",
           "--message", os.path.join(MESSAGES, message), *args, "127.0.0.1", str(server.port)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if not connects:  # release the server waiting for a connection
        socket.create_connection(("127.0.0.1", server.port)).close()
    server.join(20)
    check(not server.is_alive(), "the server did not finish")
    out = {}  # the first value of each key; "last:KEY" the last
    for line in p.stdout.splitlines():
        key, _, value = line.partition("=")
        out.setdefault(key, value)
        out["last:" + key] = value
    out["_rc"] = p.returncode
    out["_text"] = p.stdout + p.stderr
    return out


def wire(msg):
    """The DATA wire form of a message: every line end CRLF, dots doubled."""
    lines = re.split(rb"\r\n|\r|\n", msg)
    if lines and lines[-1] == b"":
        lines.pop()
    return b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines) + b".\r\n"


# --- the cases --------------------------------------------------------------

SUBJECT = "/C=US/L=Z\\xC3\\xBCrich/O=sdmail+20test/OU=mail+20+22relay+22+20+28test+29/CN=mx.test"
ISSUER = "/C=US/O=sdmail+20test/CN=sdmail+20test+20CA"


def case_verified(certs):
    """TLS 1.3 with the right CA: OK, macros as OpenSSL saw the session."""
    s = Server(server_ctx(certs))
    out = send(s, "--require-tls", "--ca-file", f"{certs}/ca.pem",
               "--transcript", f"{certs}/verified.transcript", message="crlf-bare-cr.eml")
    check(out["_rc"] == 0, f"verified: exit {out['_rc']}: {out['_text']}")
    tls = s.find("tls")
    check(len(tls) == 1, f"verified: handshake seen by the server: {s.events}")
    if tls:
        version, cipher, _ = tls[0][1]
        check(out.get("tls_version") == version, f"verified: tls_version {out.get('tls_version')} vs {version}")
        check(out.get("cipher") == cipher[0], f"verified: cipher {out.get('cipher')} vs {cipher[0]}")
        check(out.get("cipher_bits") == str(cipher[2]), f"verified: bits {out.get('cipher_bits')} vs {cipher[2]}")
    check(out.get("tls_version") == "TLSv1.3", f"verified: {out.get('tls_version')}")
    check(out.get("verify") == "OK", f"verified: verify={out.get('verify')}")
    check(out.get("cert_subject") == SUBJECT, f"verified: cert_subject={out.get('cert_subject')}")
    check(out.get("cert_issuer") == ISSUER, f"verified: cert_issuer={out.get('cert_issuer')}")
    check(out.get("cn_subject") == "mx.test", f"verified: cn_subject={out.get('cn_subject')}")
    check(out.get("cn_issuer") == "sdmail+20test+20CA", f"verified: cn_issuer={out.get('cn_issuer')}")
    check(s.find("pipelined") == [("pipelined", b"", False)],
          f"verified: bytes pipelined behind STARTTLS: {s.find('pipelined')}")
    cmds = s.find("cmd")
    after = [c[1].split()[0] for c in cmds if c[2]]
    check(after == ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"],
          f"verified: commands under TLS: {after}")
    check("STARTTLS" in out.get("ext", "").split(), f"verified: before TLS: {out.get('ext')}")
    check(out.get("last:ext", "").split() == ["PIPELINING", "SIZE", "8BITMIME", "DSN",
                                              "ENHANCEDSTATUSCODES"],
          f"verified: extensions after TLS: {out.get('last:ext')}")
    with open(os.path.join(MESSAGES, "crlf-bare-cr.eml"), "rb") as f:
        want = wire(f.read())
    data = s.find("data")
    check(data and data[0][1] == want and data[0][2],
          f"verified: DATA bytes {data[0][1] if data else None!r}, want {want!r}")
    with open(f"{certs}/verified.transcript", encoding="utf-8") as f:
        ehlos = [l for l in f.read().splitlines() if l.startswith(">>> EHLO")]
    check(len(ehlos) == 2, f"verified: EHLO before and after STARTTLS: {ehlos}")


def case_wrong_ca(certs):
    """The wrong CA: FAIL, but the message still goes (policy decides)."""
    s = Server(server_ctx(certs))
    out = send(s, "--require-tls", "--ca-file", f"{certs}/other-ca.pem")
    check(out.get("verify") == "FAIL", f"wrong CA: verify={out.get('verify')}")
    check("issuer" in out.get("verify_detail", ""), f"wrong CA: detail {out.get('verify_detail')}")
    check(out.get("data") == "250", f"wrong CA: data={out.get('data')}")
    check(out.get("cert_subject") == SUBJECT, f"wrong CA: cert_subject={out.get('cert_subject')}")


def case_no_ca(certs):
    """No CACertFile/CACertPath: nothing can be verified."""
    s = Server(server_ctx(certs))
    out = send(s, "--require-tls")
    check(out.get("verify") == "FAIL", f"no CA: verify={out.get('verify')}")


def case_ca_path(certs):
    """CACertPath: a directory of CA certificates."""
    s = Server(server_ctx(certs))
    out = send(s, "--require-tls", "--ca-path", f"{certs}/capath")
    check(out.get("verify") == "OK", f"CA path: verify={out.get('verify')} {out['_text']}")


def case_tls12(certs):
    """TLS 1.2: the OpenSSL-style cipher name must be OpenSSL's."""
    s = Server(server_ctx(certs, max_version=ssl.TLSVersion.TLSv1_2))
    out = send(s, "--require-tls", "--ca-file", f"{certs}/ca.pem")
    tls = s.find("tls")
    check(out.get("tls_version") == "TLSv1.2", f"TLS 1.2: {out.get('tls_version')}")
    if tls:
        cipher = tls[0][1][1]
        check(out.get("cipher") == cipher[0], f"TLS 1.2: cipher {out.get('cipher')} vs {cipher[0]}")
        check(out.get("cipher_bits") == str(cipher[2]), f"TLS 1.2: bits {out.get('cipher_bits')}")
    check(out.get("verify") == "OK", f"TLS 1.2: verify={out.get('verify')}")


def case_client_cert(certs):
    """ClientCertFile/ClientKeyFile: the server requires and verifies it."""
    s = Server(server_ctx(certs, want_client_cert=True))
    out = send(s, "--require-tls", "--ca-file", f"{certs}/ca.pem",
               "--cert", f"{certs}/client.pem", "--key", f"{certs}/client.key")
    tls = s.find("tls")
    peer = tls[0][1][2] if tls else None
    cn = dict(x[0] for x in peer["subject"]).get("commonName") if peer else None
    check(cn == "client.test", f"client cert: server saw {peer} {s.events}")
    check(out.get("data") == "250", f"client cert: data={out.get('data')}")


def case_inject(certs):
    """A reply sent behind the 220 before the handshake: PROTOCOL, abort."""
    s = Server(server_ctx(certs), mode="inject")
    out = send(s, "--require-tls", "--ca-file", f"{certs}/ca.pem")
    check(out.get("verify") == "PROTOCOL", f"inject: verify={out.get('verify')}")
    check(out.get("starttls") == "-71", f"inject: starttls={out.get('starttls')}")
    check(out["_rc"] == 1, f"inject: exit {out['_rc']}")
    check(not s.find("tls"), f"inject: a handshake happened: {s.events}")
    check([c for c in s.find("cmd") if not c[1].startswith(("EHLO", "STARTTLS"))] == [],
          f"inject: commands after the injection: {s.find('cmd')}")


def case_refused(certs):
    """454 to STARTTLS: TEMP, and without --require-tls the mail goes in clear."""
    s = Server(server_ctx(certs), mode="refuse")
    out = send(s, "--starttls", "--ca-file", f"{certs}/ca.pem")
    check(out.get("starttls") == "454", f"refused: starttls={out.get('starttls')}")
    check(out.get("verify") == "TEMP", f"refused: verify={out.get('verify')}")
    check(out.get("data") == "250", f"refused: data={out.get('data')}")
    check(not any(c[2] for c in s.find("cmd")), "refused: TLS claimed")


def case_handshake_fails(certs):
    """No common protocol version: SOFTWARE, the connection is given up."""
    s = Server(server_ctx(certs, min_version=ssl.TLSVersion.TLSv1_3))
    out = send(s, "--require-tls", "--ca-file", f"{certs}/ca.pem",
               "--priority", "NORMAL:-VERS-TLS1.3")
    check(out.get("verify") == "SOFTWARE", f"handshake: verify={out.get('verify')}")
    check(out.get("starttls", "").startswith("-"), f"handshake: starttls={out.get('starttls')}")
    check(out["_rc"] == 1, f"handshake: exit {out['_rc']}")


def case_bad_priority(certs):
    """A CipherList GnuTLS cannot parse is a configuration error."""
    s = Server(server_ctx(certs))
    out = send(s, "--require-tls", "--priority", "NORMAL:+NO-SUCH-THING", connects=False)
    check(out.get("error", "").startswith("tls context: CipherList: bad priority string"),
          f"bad priority: {out.get('error')}")


def main():
    if shutil.which("certtool") is None:
        print("SKIP: certtool (gnutls-bin) is not installed")
        return 77
    with tempfile.TemporaryDirectory(prefix="sdmail-starttls.") as certs:
        make_certs(certs)
        for case in (case_verified, case_wrong_ca, case_no_ca, case_ca_path, case_tls12,
                     case_client_cert, case_inject, case_refused, case_handshake_fails,
                     case_bad_priority):
            before = len(failures)
            case(certs)
            print("ok  " if len(failures) == before else "FAIL", case.__name__[5:])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
