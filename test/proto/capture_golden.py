#!/usr/bin/env python3
"""Capture the golden frames used by golden_frames.hpp from a live ZooKeeper server.

Speaks the client protocol with raw sockets (no client library), sends a fixed script of
requests with fixed field values, and prints every frame exactly as it crossed the wire
(length prefix included), labelled, plus the fields the server put in each reply.

    D=$(mktemp -d)
    bash /work/shared/docs/zk-test-server.sh standalone $D/zk 24999
    python3 test/proto/capture_golden.py --port 24999 --header test/proto/golden_frames.hpp
    bash /work/shared/docs/zk-test-server.sh stop $D/zk

Run it against a fresh server: the script creates /zkit-golden and expects it to be absent.
Zxids, times, session ids and passwords differ from run to run; golden_frames.hpp holds one
run, and the tests check the values of that run.
"""

import argparse
import socket
import struct
import sys
import textwrap
import time

OPS = {"create": 1, "delete": 2, "exists": 3, "getData": 4, "setData": 5, "getACL": 6,
       "setACL": 7, "getChildren": 8, "sync": 9, "ping": 11, "getChildren2": 12, "create2": 15,
       "auth": 100, "setWatches": 101, "setWatches2": 105, "closeSession": -11}

# digest id of alice:secret (zookeeper-protocol.md section 10)
ALICE = "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="


class W:
    def __init__(self):
        self.b = bytearray()

    def i32(self, v):
        self.b += struct.pack(">i", v)
        return self

    def i64(self, v):
        self.b += struct.pack(">q", v)
        return self

    def boolean(self, v):
        self.b.append(1 if v else 0)
        return self

    def buf(self, v):
        if v is None:
            return self.i32(-1)
        if isinstance(v, str):
            v = v.encode()
        self.i32(len(v))
        self.b += v
        return self

    def strings(self, items):
        self.i32(len(items))
        for s in items:
            self.buf(s)
        return self

    def acl(self, entries):
        self.i32(len(entries))
        for perms, scheme, ident in entries:
            self.i32(perms).buf(scheme).buf(ident)
        return self


class R:
    def __init__(self, b):
        self.b, self.p = b, 0

    def take(self, n):
        assert self.p + n <= len(self.b), "short frame"
        v = self.b[self.p:self.p + n]
        self.p += n
        return v

    def i32(self):
        return struct.unpack(">i", self.take(4))[0]

    def i64(self):
        return struct.unpack(">q", self.take(8))[0]

    def boolean(self):
        return self.take(1)[0] != 0

    def buf(self):
        n = self.i32()
        return None if n == -1 else bytes(self.take(n))

    def strings(self):
        n = self.i32()
        return [self.buf().decode() for _ in range(n)]

    def stat(self):
        names = ["czxid", "mzxid", "ctime", "mtime", "version", "cversion", "aversion",
                 "ephemeralOwner", "dataLength", "numChildren", "pzxid"]
        kinds = "qqqqiiiqiiq"
        return {n: (self.i64() if k == "q" else self.i32()) for n, k in zip(names, kinds)}

    def acl(self):
        n = self.i32()
        return [(self.i32(), self.buf().decode(), self.buf().decode()) for _ in range(n)]


class Conn:
    def __init__(self, port, log):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rbuf = b""
        self.log = log

    def send(self, label, body, fields):
        frame = struct.pack(">i", len(body)) + bytes(body)
        self.s.sendall(frame)
        self.log.append(("client", label, frame, fields))

    def recv_frame(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            if len(self.rbuf) >= 4:
                (n,) = struct.unpack(">i", self.rbuf[:4])
                if len(self.rbuf) >= 4 + n:
                    frame, self.rbuf = self.rbuf[:4 + n], self.rbuf[4 + n:]
                    return frame
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                chunk = self.s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                chunk = b""
            if not chunk:
                return None
            self.rbuf += chunk

    def notification(self, label, frame, r, zxid, err):
        ev = {"type": r.i32(), "state": r.i32(), "path": r.buf().decode()}
        self.log.append(("server", label, frame, dict(xid=-1, zxid=zxid, err=err, **ev)))

    def reply(self, label, xid, parse=None):
        """Reads frames until the reply to `xid`; notifications on the way are logged too,
        named after the reply they came before."""
        while True:
            frame = self.recv_frame()
            assert frame is not None, f"no reply for {label}"
            r = R(frame[4:])
            hx, zx, err = r.i32(), r.i64(), r.i32()
            if hx == -1:
                self.notification(label.replace("_reply", "_notification"), frame, r, zx, err)
                continue
            assert hx == xid, f"{label}: reply xid {hx}, expected {xid}"
            fields = {"xid": hx, "zxid": zx, "err": err}
            if err == 0 and parse:
                fields.update(parse(r))
            assert r.p == len(r.b) or err != 0, f"{label}: {len(r.b) - r.p} bytes left over"
            self.log.append(("server", label, frame, fields))
            return fields

    def drain(self, label, quiet=0.5):
        """Logs the notifications that arrive until the connection is quiet for `quiet` s."""
        while True:
            frame = self.recv_frame(quiet)
            if frame is None:
                return
            r = R(frame[4:])
            hx, zx, err = r.i32(), r.i64(), r.i32()
            assert hx == -1, f"unexpected frame xid {hx}"
            self.notification(label, frame, r, zx, err)

    def connect(self, label, last_zxid, timeout_ms, sid, passwd):
        body = W().i32(0).i64(last_zxid).i32(timeout_ms).i64(sid).buf(passwd).boolean(False).b
        self.send(f"{label}_request", body, dict(protocolVersion=0, lastZxidSeen=last_zxid,
                                                 timeOut=timeout_ms, sessionId=sid,
                                                 passwd=passwd.hex(), readOnly=False))
        frame = self.recv_frame()
        r = R(frame[4:])
        fields = {"protocolVersion": r.i32(), "timeOut": r.i32(), "sessionId": r.i64(),
                  "passwd": r.buf().hex(), "readOnly": r.boolean()}
        self.log.append(("server", f"{label}_response", frame, fields))
        return fields


def request(conn, label, xid, op, body=b"", parse=None, **fields):
    conn.send(f"{label}_request", W().i32(xid).i32(OPS[op]).b + body,
              dict(xid=xid, op=OPS[op], **fields))
    return conn.reply(f"{label}_reply", xid, parse)


def run(port):
    log = []
    a = Conn(port, log)
    hs = a.connect("connect", 0, 30000, 0, b"\0" * 16)
    sid, passwd = hs["sessionId"], bytes.fromhex(hs["passwd"])
    stat = lambda r: {"stat": r.stat()}

    request(a, "auth", -4, "auth", W().i32(0).buf("digest").buf("alice:secret").b,
            type=0, scheme="digest", auth="alice:secret")
    request(a, "create", 1, "create",
            W().buf("/zkit-golden").buf("hello").acl([(31, "world", "anyone")]).i32(0).b,
            lambda r: {"path": r.buf().decode()},
            path="/zkit-golden", data="hello", acl="[(31,world,anyone)]", flags=0)
    child_acl = [(1, "world", "anyone"), (31, "digest", ALICE)]
    request(a, "create2", 2, "create2",
            W().buf("/zkit-golden/child").buf("v1").acl(child_acl).i32(0).b,
            lambda r: {"path": r.buf().decode(), "stat": r.stat()},
            path="/zkit-golden/child", data="v1", acl=str(child_acl), flags=0)
    request(a, "create_seq", 3, "create",
            W().buf("/zkit-golden/e-").buf(b"").acl([(31, "world", "anyone")]).i32(3).b,
            lambda r: {"path": r.buf().decode()},
            path="/zkit-golden/e-", data="", acl="[(31,world,anyone)]", flags=3)
    request(a, "create_null", 4, "create",
            W().buf("/zkit-golden/null").buf(None).acl([(31, "world", "anyone")]).i32(0).b,
            lambda r: {"path": r.buf().decode()},
            path="/zkit-golden/null", data=None, acl="[(31,world,anyone)]", flags=0)
    request(a, "get_data", 5, "getData", W().buf("/zkit-golden/child").boolean(True).b,
            lambda r: {"data": r.buf(), "stat": r.stat()}, path="/zkit-golden/child", watch=True)
    request(a, "get_data_null", 6, "getData", W().buf("/zkit-golden/null").boolean(False).b,
            lambda r: {"data": r.buf(), "stat": r.stat()}, path="/zkit-golden/null", watch=False)
    request(a, "set_data", 7, "setData", W().buf("/zkit-golden/child").buf("v2").i32(0).b, stat,
            path="/zkit-golden/child", data="v2", version=0)
    a.drain("set_data_notification")  # NodeDataChanged of the getData watch
    request(a, "exists", 8, "exists", W().buf("/zkit-golden/child").boolean(False).b, stat,
            path="/zkit-golden/child", watch=False)
    request(a, "exists_missing", 9, "exists", W().buf("/zkit-golden/missing").boolean(True).b,
            stat, path="/zkit-golden/missing", watch=True)
    request(a, "get_children", 10, "getChildren", W().buf("/zkit-golden").boolean(False).b,
            lambda r: {"children": r.strings()}, path="/zkit-golden", watch=False)
    request(a, "get_children2", 11, "getChildren2", W().buf("/zkit-golden").boolean(True).b,
            lambda r: {"children": r.strings(), "stat": r.stat()}, path="/zkit-golden",
            watch=True)
    new_acl = [(31, "digest", ALICE), (1, "world", "anyone")]
    request(a, "set_acl", 12, "setACL", W().buf("/zkit-golden").acl(new_acl).i32(0).b, stat,
            path="/zkit-golden", acl=str(new_acl), version=0)
    request(a, "get_acl", 13, "getACL", W().buf("/zkit-golden").b,
            lambda r: {"acl": r.acl(), "stat": r.stat()}, path="/zkit-golden")
    request(a, "sync", 14, "sync", W().buf("/zkit-golden").b,
            lambda r: {"path": r.buf().decode()}, path="/zkit-golden")
    ping = request(a, "ping", -2, "ping")
    last_zxid = ping["zxid"]

    # Resume the session on a second connection (the server drops the first), re-arm watches.
    b = Conn(port, log)
    b.connect("reconnect", last_zxid, 30000, sid, passwd)
    # Credentials belong to the connection: send them again before anything else.
    request(b, "reauth", -4, "auth", W().i32(0).buf("digest").buf("alice:secret").b,
            type=0, scheme="digest", auth="alice:secret")
    request(b, "set_watches", -8, "setWatches",
            W().i64(last_zxid).strings(["/zkit-golden/gone"]).strings(["/zkit-golden/missing"])
            .strings(["/zkit-golden"]).b,
            relativeZxid=last_zxid, data=["/zkit-golden/gone"], exist=["/zkit-golden/missing"],
            child=["/zkit-golden"])
    b.drain("set_watches_notification")  # NodeDeleted for /zkit-golden/gone
    request(b, "set_watches2", -8, "setWatches2",
            W().i64(last_zxid).strings([]).strings([]).strings([]).strings(["/zkit-golden"])
            .strings(["/zkit-golden/child"]).b,
            relativeZxid=last_zxid, persistent=["/zkit-golden"],
            persistentRecursive=["/zkit-golden/child"])
    request(b, "delete", 15, "delete", W().buf("/zkit-golden/child").i32(1).b,
            path="/zkit-golden/child", version=1)
    b.drain("delete_notification")
    request(b, "delete_missing", 16, "delete", W().buf("/zkit-golden/child").i32(-1).b,
            path="/zkit-golden/child", version=-1)
    request(b, "close_session", 17, "closeSession")
    assert b.recv_frame(5) is None, "server kept the connection open after closeSession"
    a.s.close()
    b.s.close()
    return log


def as_text(log):
    out = []
    for who, label, frame, fields in log:
        out.append(f"{who:6} {label:24} {len(frame):4} {frame.hex()}")
        out.append(f"       {fields}")
    return "\n".join(out)


def as_header(log):
    out = ["// Golden frames captured from a live ZooKeeper 3.8.0 server (Debian 12 package",
           "// zookeeper 3.8.0-11+deb12u2, standalone, started with zk-test-server.sh) by",
           "// test/proto/capture_golden.py, which speaks the protocol over a raw socket. Each",
           "// literal is one whole frame as it crossed the wire, length prefix included, in hex.",
           "// Client frames were written by that script and accepted by the server; server",
           "// frames are the server's own bytes. Do not edit: re-capture instead.",
           "#pragma once", "", "#include <string_view>", "", "namespace golden {", ""]
    seen = {}
    for who, label, frame, fields in log:
        name = label
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        ident = "k" + "".join(p.capitalize() for p in name.split("_"))
        note = f"{who} -> {'server' if who == 'client' else 'client'}: {fields}"
        out.extend("// " + line for line in textwrap.wrap(note, 94))
        h = frame.hex()
        chunks = [h[i:i + 88] for i in range(0, len(h), 88)]
        out.append(f"inline constexpr std::string_view {ident} =")
        out.extend(f'    "{c}"' for c in chunks[:-1])
        out.append(f'    "{chunks[-1]}";')
        out.append("")
    out.append("}  // namespace golden")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=2181)
    ap.add_argument("--header", metavar="PATH", help="also write the frames as a C++ header")
    args = ap.parse_args()
    log = run(args.port)
    sys.stdout.write(as_text(log) + "\n")
    if args.header:
        with open(args.header, "w") as f:
            f.write(as_header(log))


if __name__ == "__main__":
    main()
