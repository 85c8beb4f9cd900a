"""A broken or hostile mail filter, speaking the milter wire format by
hand (libmilter would never send these): it negotiates, answers
"continue" to every command, and misbehaves once, at the command named by
MODE.

    /usr/bin/python3 hostile.py SOCKET MODE

too-long      at MAIL: announces a 2 GB packet
half          at MAIL: sends a third of a packet, then nothing
unknown-reply at MAIL: a reply command that does not exist
bad-code      at RCPT: SMFIR_REPLYCODE with "250 ok"
early-mod     at MAIL: a header change, allowed only at end of message
reject-unknown at an unknown SMTP command: reject
shutdown-helo  at HELO: SMFIR_SHUTDOWN (which sendmail 8.17.1 does not know)
shutdown-mail  at MAIL: the same
bad-version   at negotiation: version 99
close         at negotiation: closes the connection
"""
import socket
import struct
import sys
import time

SOCKET, MODE = sys.argv[1], sys.argv[2]


def packet(cmd, data=b''):
    return struct.pack('>I', len(data) + 1) + cmd + data


def read_packet(conn):
    head = b''
    while len(head) < 4:
        chunk = conn.recv(4 - len(head))
        if not chunk:
            return None, None
        head += chunk
    n = struct.unpack('>I', head)[0]
    data = b''
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None, None
        data += chunk
    return data[:1], data[1:]


def serve(conn):
    while True:
        cmd, data = read_packet(conn)
        if cmd is None or cmd == b'Q':
            return
        if cmd == b'O':
            if MODE == 'close':
                return
            version = 99 if MODE == 'bad-version' else 6
            conn.sendall(packet(b'O', struct.pack('>III', version, 0x1ff, 0)))
        elif cmd in (b'D', b'A'):
            continue  # macros and abort get no answer
        elif cmd == b'M' and MODE == 'too-long':
            conn.sendall(struct.pack('>I', 0x7fffffff) + b'y')
            time.sleep(30)
        elif cmd == b'M' and MODE == 'half':
            conn.sendall(struct.pack('>I', 30) + b'y550 5.7.1 ')
            time.sleep(30)
        elif cmd == b'M' and MODE == 'unknown-reply':
            conn.sendall(packet(b'Z'))
        elif cmd == b'M' and MODE == 'early-mod':
            conn.sendall(packet(b'h', b'X-Early\0value\0'))
        elif cmd == b'U' and MODE == 'reject-unknown':
            conn.sendall(packet(b'r'))
        elif (cmd, MODE) in ((b'H', 'shutdown-helo'), (b'M', 'shutdown-mail')):
            conn.sendall(packet(b'4'))
        elif cmd == b'R' and MODE == 'bad-code':
            conn.sendall(packet(b'y', b'250 ok\0'))
        else:
            conn.sendall(packet(b'c'))


def main():
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(SOCKET)
    srv.listen(4)
    while True:
        conn, _ = srv.accept()
        with conn:
            try:
                serve(conn)
            except OSError:
                pass


main()
