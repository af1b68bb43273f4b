#!/usr/bin/python3
"""Captures fuzz-sasl's seeds (test/fuzz/corpus/sasl) from a real DIGEST-MD5 exchange with
ZooKeeper 3.8 (JAAS users, from the testing kit's zkit-sasl-test-server):

    /usr/bin/python3 test/fuzz/capture_sasl.py build/test/sasl/zkit-sasl-test-server

It speaks the exchange itself (handshake, GetSASLRequest with an empty token, the DIGEST-MD5
response of RFC 2831 computed here) and keeps the server's frames: its challenge, its rspauth
and the AuthFailed reply to a wrong password. Each seed is fuzz-sasl's knob byte (a mechanism
of one step whose last token is empty, as DIGEST-MD5's is) followed by the server's frames of
one exchange, whole (length prefixes included).
"""

import hashlib
import os
import pathlib
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

here = pathlib.Path(__file__).resolve().parent
SASL_XID, SASL_OP = -102, 102
KNOBS = bytes([0x05])  # fuzz_sasl.cpp: one step after the first token, the last one empty


def frame(body):
    return struct.pack(">i", len(body)) + body


def buffer(b):
    return struct.pack(">i", len(b)) + b


def recv_frame(sock):
    data = b""
    while len(data) < 4 or len(data) < 4 + struct.unpack(">i", data[:4])[0]:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("capture_sasl: the server closed the connection")
        data += chunk
    return data  # one reply at a time: the server answers each request before the next


def connect(host, port):
    sock = socket.create_connection((host, port), timeout=10)
    # ConnectRequest: protocol 0, last zxid 0, timeout, session 0, 16-byte password, read-only false.
    sock.sendall(frame(struct.pack(">iqiq", 0, 0, 10000, 0) + buffer(b"\0" * 16) + b"\0"))
    recv_frame(sock)
    return sock


def sasl(sock, token):
    sock.sendall(frame(struct.pack(">ii", SASL_XID, SASL_OP) + buffer(token)))
    return recv_frame(sock)


def token_of(reply):
    (n,) = struct.unpack(">i", reply[20:24])
    return reply[24:24 + n] if n >= 0 else b""


def digest_response(challenge, user, password):
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge.decode()))
    realm, nonce, cnonce, nc, uri = fields.get("realm", ""), fields["nonce"], os.urandom(12).hex(), "00000001", "zookeeper/zk-sasl-md5"
    md5 = lambda b: hashlib.md5(b).digest()
    hex_md5 = lambda b: hashlib.md5(b).hexdigest()
    a1 = md5(f"{user}:{realm}:{password}".encode()) + f":{nonce}:{cnonce}".encode()
    a2 = f"AUTHENTICATE:{uri}".encode()
    response = hex_md5(f"{hex_md5(a1)}:{nonce}:{nc}:{cnonce}:auth:{hex_md5(a2)}".encode())
    return (f'charset=utf-8,username="{user}",realm="{realm}",nonce="{nonce}",nc={nc},cnonce="{cnonce}",'
            f'digest-uri="{uri}",maxbuf=65536,response={response},qop=auth').encode()


def exchange(host, port, user, password):
    sock = connect(host, port)
    challenge = sasl(sock, b"")
    final = sasl(sock, digest_response(token_of(challenge), user, password))
    sock.close()
    return challenge, final


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        ready = pathlib.Path(tmp) / "ready"
        server = subprocess.Popen([sys.argv[1], str(ready)])
        try:
            deadline = time.monotonic() + 120
            while not ready.exists() and server.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)  # the kit writes the file once its servers serve
            if not ready.exists():
                sys.exit("capture_sasl: the SASL test server did not start")
            info = dict(line.split("=", 1) for line in ready.read_text().splitlines() if "=" in line)
            host, port = info["connect"].split(",")[0].rsplit(":", 1)
            challenge, accepted = exchange(host, int(port), info["user"], info["password"])
            _, refused = exchange(host, int(port), info["user"], info["password"] + "-wrong")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    if struct.unpack(">i", refused[16:20])[0] == 0 or struct.unpack(">i", accepted[16:20])[0] != 0:
        sys.exit("capture_sasl: the server did not accept the right password and refuse the wrong one")
    out = here / "corpus" / "sasl"
    out.mkdir(parents=True, exist_ok=True)
    seeds = {"digest-accepted": challenge + accepted, "digest-refused": challenge + refused,
             "digest-challenge": challenge, "digest-rspauth": accepted}
    for name, data in seeds.items():
        (out / f"golden-{name}").write_bytes(KNOBS + data)
    print(f"{len(seeds)} SASL seeds written")


main()
