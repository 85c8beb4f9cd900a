#!/usr/bin/python3
"""tls-mta.py CERT KEY DUMP_DIR [--broken-tls] [--no-starttls] [--listen=ADDR]

A small SMTP server on 127.0.0.1:25 (or ADDR:25) with STARTTLS (Python's
ssl module, i.e. OpenSSL) for the sendmail command's relay tests.  Each
message goes to DUMP_DIR/N.msg preceded by the session's facts: "tls:
VERSION CIPHER" (or "tls: none"), "sni: NAME" (the server name the client
sent, "-" for none), the MAIL and RCPT commands.  --broken-tls answers
STARTTLS with 220 and then sends garbage instead of a handshake;
--no-starttls does not offer it.  CERT may hold the chain after the
server's certificate.  Prints "ready" when it listens; runs until killed.
"""
import os
import socket
import ssl
import sys
import threading

cert, key, dump = sys.argv[1:4]
broken = "--broken-tls" in sys.argv
no_starttls = "--no-starttls" in sys.argv
listen = ([a.split("=", 1)[1] for a in sys.argv if a.startswith("--listen=")] or ["127.0.0.1"])[0]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
count = [0]
sni = threading.local()  # the handshake runs in the session's thread


def note_sni(_sock, name, _ctx):
    sni.name = name


ctx.sni_callback = note_sni


def session(conn):
    f = conn.makefile("rwb", buffering=0)
    tls, envelope, sent_name = "none", [], None

    def say(line):
        f.write(line.encode() + b"\r\n")

    say("220 tls-mta.test ESMTP")
    while True:
        raw = f.readline()
        if not raw:
            return
        line = raw.decode("latin-1").rstrip("\r\n")
        verb = line.split(" ")[0].upper()
        if verb == "EHLO":
            extra = [] if tls != "none" or no_starttls else ["250-STARTTLS"]
            for l in ["250-tls-mta.test"] + extra + ["250-PIPELINING", "250 8BITMIME"]:
                say(l)
        elif verb == "STARTTLS":
            say("220 2.0.0 Ready to start TLS")
            if broken:
                conn.sendall(b"this is not TLS\r\n" * 4)
                conn.close()
                return
            conn = ctx.wrap_socket(conn, server_side=True)
            f = conn.makefile("rwb", buffering=0)
            tls = "%s %s" % (conn.version(), conn.cipher()[0])
            sent_name = getattr(sni, "name", None)
        elif verb in ("MAIL", "RCPT"):
            envelope.append(line)
            say("250 2.1.0 ok")
        elif verb == "DATA":
            say("354 go ahead")
            body = b""
            while True:
                l = f.readline()
                if l in (b".\r\n", b""):
                    break
                body += l
            count[0] += 1
            with open(os.path.join(dump, "%03d.msg" % count[0]), "wb") as out:
                out.write(("tls: %s\n" % tls).encode())
                out.write(("sni: %s\n" % (sent_name or "-")).encode())
                out.write("".join(e + "\n" for e in envelope).encode())
                out.write(body)
            envelope = []
            say("250 2.0.0 queued as %d" % count[0])
        elif verb == "RSET":
            envelope = []
            say("250 2.0.0 ok")
        elif verb == "QUIT":
            say("221 2.0.0 bye")
            conn.close()
            return
        else:
            say("502 5.5.2 what")


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((listen, 25))
srv.listen(10)
print("ready", flush=True)
while True:
    c, _ = srv.accept()
    threading.Thread(target=session, args=(c,), daemon=True).start()
