#!/usr/bin/python3
"""Writes fuzz-tls's seeds (test/fuzz/corpus/tls):

    /usr/bin/python3 test/fuzz/capture_tls.py

Raw seeds (golden-server-tls12, -tls13): every byte a TLS server sent in a real handshake
(OpenSSL through Python's ssl module, over memory BIOs, with a throwaway self-signed certificate
for "localhost" that `openssl req` makes in a temporary directory and that is deleted
afterwards), followed by a ZooKeeper frame as application data. Scripted seeds (script-*): the
target's own in-process server completes the handshake, then commands send real ZooKeeper
frames (test/proto/golden_frames.hpp) as application data, update keys, have the client write,
tamper with a record, split records, close. Formats: test/fuzz/fuzz_tls.cpp.
"""

import pathlib
import re
import ssl
import struct
import subprocess
import tempfile

here = pathlib.Path(__file__).resolve().parent
golden = (here.parent / "proto" / "golden_frames.hpp").read_text()
frames = {name: bytes.fromhex("".join(re.findall(r"\"([0-9a-f]*)\"", body)))
          for name, body in re.findall(r"inline constexpr std::string_view (k\w+) =\s*((?:\"[0-9a-f]*\"\s*)+);", golden)}
connect_response = frames["kConnectResponse"]
replies = [f for n, f in sorted(frames.items()) if n.endswith("Reply")][:3]

RAW, SCRIPTED, TLS13, WHOLE = 0x00, 0x01, 0x02, 0x0c  # fuzz_tls.cpp's knob bits


def handshake(tmp, version):
    """Every byte the server sent: its flight(s), then `connect_response` as application data."""
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    server_ctx.minimum_version = server_ctx.maximum_version = version
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_ctx.load_verify_locations(tmp / "cert.pem")
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname="localhost")
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    sent = b""
    done = {client: False, server: False}
    for _ in range(10):
        for side, to_peer, peer_in in ((client, c_out, s_in), (server, s_out, c_in)):
            if not done[side]:
                try:
                    side.do_handshake()
                    done[side] = True
                except ssl.SSLWantReadError:
                    pass
            data = to_peer.read()
            if side is server:
                sent += data
            peer_in.write(data)
        if all(done.values()):
            break
    server.write(connect_response)
    return sent + s_out.read()


def command(op, payload=b""):
    return bytes([op]) + struct.pack(">H", len(payload)) + payload


def main():
    out = here / "corpus" / "tls"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem", "-days", "365",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                       check=True, capture_output=True)
        seeds = {"golden-server-tls12": bytes([RAW | WHOLE]) + handshake(tmp, ssl.TLSVersion.TLSv1_2),
                 "golden-server-tls13": bytes([RAW | TLS13 | WHOLE]) + handshake(tmp, ssl.TLSVersion.TLSv1_3)}
    session = command(0, connect_response) + b"".join(command(0, r) for r in replies)
    for version, bit in (("tls12", 0), ("tls13", TLS13)):
        knob = bytes([SCRIPTED | bit | WHOLE])
        seeds[f"script-{version}-frames"] = knob + session + command(5, replies[0]) + command(4)
        seeds[f"script-{version}-rekey"] = knob + command(0, replies[0]) + command(3) + command(5, b"ping") + command(0, replies[1])
        seeds[f"script-{version}-tampered"] = knob + command(0, replies[0]) + command(1, replies[1])
        seeds[f"script-{version}-split"] = bytes([SCRIPTED | bit | 0x10]) + command(6) + session + command(7, b"\x01")
    for name, data in seeds.items():
        (out / name).write_bytes(data)
    print(f"{len(seeds)} TLS seeds written")


main()
