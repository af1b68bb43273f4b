#!/usr/bin/env python3
"""Capture the golden frames used by golden_frames.hpp from a live ZooKeeper server.

Speaks the client protocol with raw sockets (no client library), sends a fixed script of
requests with fixed field values, and prints every frame exactly as it crossed the wire
(length prefix included), labelled, plus the fields the server put in each reply.

    D=$(mktemp -d)
    bash /work/shared/docs/zk-test-server.sh standalone $D/zk 24998
    bash /work/shared/docs/zk-test-server.sh ensemble $D/zke 24990 3
    python3 test/proto/capture_golden.py --port 24998 --reconfig-port 24990 --super super \
        --header test/proto/golden_frames.hpp
    bash /work/shared/docs/zk-test-server.sh stop $D/zk
    bash /work/shared/docs/zk-test-server.sh stop $D/zke

Run it against fresh servers: the script creates /zkit-golden and /zkit-multi and expects them
to be absent. The standalone server needs extendedTypesEnabled=true (createTTL inside a multi),
which zk-test-server.sh sets. The reconfig frames need an ensemble with reconfigEnabled=true and
the digest super user (zk-test-server.sh ensemble); the script removes a follower and adds it
back, so the ensemble ends with its members of the start. Without --reconfig-port those frames
are left out and the tests that use them do not compile. The script never sends check (13)
outside a multi: that breaks a 3.8.0 server for good (zookeeper-protocol.md section 13).
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
       "setACL": 7, "getChildren": 8, "sync": 9, "ping": 11, "getChildren2": 12, "check": 13,
       "multi": 14, "create2": 15, "reconfig": 16, "checkWatches": 17, "removeWatches": 18,
       "createContainer": 19, "createTTL": 21, "multiRead": 22, "auth": 100, "setWatches": 101,
       "getEphemerals": 103, "getAllChildrenNumber": 104, "setWatches2": 105, "addWatch": 106,
       "whoAmI": 107, "closeSession": -11}
OPEN = [(31, "world", "anyone")]

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

    def multi_results(self):
        """MultiResponse: (MultiHeader{type, done, err} + result record)* until done."""
        out = []
        while True:
            typ, done, err = self.i32(), self.boolean(), self.i32()
            if done:
                assert (typ, err) == (-1, -1), f"closing header {typ}, {err}"
                return out
            res = {"type": typ, "err": err}
            if typ == 1:
                res["path"] = self.buf().decode()
            elif typ == 15:
                res["path"] = self.buf().decode()
                res["stat"] = self.stat()
            elif typ == 5:
                res["stat"] = self.stat()
            elif typ == 4:
                res["data"] = self.buf()
                res["stat"] = self.stat()
            elif typ == 8:
                res["children"] = self.strings()
            elif typ == -1:
                res["errorResponse"] = self.i32()
            else:
                assert typ in (2, 13), f"unknown multi result type {typ}"
            out.append(res)


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


def multi_body(ops):
    """MultiRequest: (MultiHeader{opcode, false, -1} + op record)* + MultiHeader{-1, true, -1}."""
    w = W()
    for op, body in ops:
        w.i32(OPS[op]).boolean(False).i32(-1)
        w.b += body
    return w.i32(-1).boolean(True).i32(-1).b


def create_body(path, data, flags=0, ttl=None):
    w = W().buf(path).buf(data).acl(OPEN).i32(flags)
    return (w.i64(ttl) if ttl is not None else w).b


def multi_results(r):
    return {"results": r.multi_results()}


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
    run_multi_and_admin(port, log)
    return log


def run_multi_and_admin(port, log):
    """multi, multiRead, the watch-management ops, getEphemerals, getAllChildrenNumber, whoAmI,
    SetWatches2 with all five lists, and reconfig on a standalone server (refused)."""
    c = Conn(port, log)
    hs = c.connect("admin_connect", 0, 30000, 0, b"\0" * 16)
    sid, passwd = hs["sessionId"], bytes.fromhex(hs["passwd"])
    request(c, "admin_auth", -4, "auth", W().i32(0).buf("digest").buf("alice:secret").b,
            type=0, scheme="digest", auth="alice:secret")
    request(c, "multi_base", 1, "create", create_body("/zkit-multi", ""),
            lambda r: {"path": r.buf().decode()}, path="/zkit-multi", data="", flags=0)
    ops = [("create", create_body("/zkit-multi/a", "1")),
           ("create2", create_body("/zkit-multi/b", "2")),
           ("createContainer", create_body("/zkit-multi/box", "", 4)),
           ("createTTL", create_body("/zkit-multi/ttl", "t", 5, 600000)),
           ("setData", W().buf("/zkit-multi/a").buf("11").i32(0).b),
           ("check", W().buf("/zkit-multi/a").i32(1).b),
           ("delete", W().buf("/zkit-multi/b").i32(-1).b)]
    request(c, "multi", 2, "multi", multi_body(ops), multi_results,
            ops="create /zkit-multi/a '1'; create2 /zkit-multi/b '2'; createContainer "
                "/zkit-multi/box '' flags 4; createTTL /zkit-multi/ttl 't' flags 5 ttl 600000; "
                "setData /zkit-multi/a '11' v0; check /zkit-multi/a v1; delete /zkit-multi/b -1; "
                "all with acl [(31,world,anyone)]")
    ops = [("create", create_body("/zkit-multi/c", "")),
           ("check", W().buf("/zkit-multi/a").i32(42).b),
           ("setData", W().buf("/zkit-multi/a").buf("x").i32(-1).b)]
    request(c, "multi_failed", 3, "multi", multi_body(ops), multi_results,
            ops="create /zkit-multi/c ''; check /zkit-multi/a v42; setData /zkit-multi/a 'x' v-1")
    request(c, "multi_empty", 4, "multi", multi_body([]), multi_results, ops="none")
    ops = [("getData", W().buf("/zkit-multi/a").boolean(False).b),
           ("getChildren", W().buf("/zkit-multi").boolean(False).b),
           ("getData", W().buf("/zkit-multi/missing").boolean(False).b)]
    request(c, "multi_read", 5, "multiRead", multi_body(ops), multi_results,
            ops="getData /zkit-multi/a; getChildren /zkit-multi; getData /zkit-multi/missing")
    # A read op inside a write multi: the whole request is refused with a bare header.
    request(c, "multi_with_read", 6, "multi",
            multi_body([("getData", W().buf("/zkit-multi/a").boolean(False).b)]),
            ops="getData /zkit-multi/a")

    request(c, "add_watch", 7, "addWatch", W().buf("/zkit-multi/a").i32(0).b,
            lambda r: {"errorResponse": r.i32()}, path="/zkit-multi/a", mode=0)
    request(c, "add_watch_recursive", 8, "addWatch", W().buf("/zkit-multi").i32(1).b,
            lambda r: {"errorResponse": r.i32()}, path="/zkit-multi", mode=1)
    # A persistent watch sits in both server lists: remove the child half, the data half stays.
    request(c, "check_watches", 9, "checkWatches", W().buf("/zkit-multi/a").i32(2).b,
            path="/zkit-multi/a", type=2)
    request(c, "remove_watches", 10, "removeWatches", W().buf("/zkit-multi/a").i32(1).b,
            path="/zkit-multi/a", type=1)
    request(c, "check_watches_none", 11, "checkWatches", W().buf("/zkit-multi/a").i32(1).b,
            path="/zkit-multi/a", type=1)
    request(c, "remove_watches_any", 12, "removeWatches", W().buf("/zkit-multi/a").i32(3).b,
            path="/zkit-multi/a", type=3)
    request(c, "remove_watches_none", 13, "removeWatches", W().buf("/zkit-multi/a").i32(3).b,
            path="/zkit-multi/a", type=3)
    request(c, "create_ephemeral", 14, "create", create_body("/zkit-multi/eph", "", 1),
            lambda r: {"path": r.buf().decode()}, path="/zkit-multi/eph", data="", flags=1)
    c.drain("create_ephemeral_notification")  # NodeCreated from the recursive watch
    request(c, "get_ephemerals", 15, "getEphemerals", W().buf("/zkit-multi").b,
            lambda r: {"ephemerals": r.strings()}, prefixPath="/zkit-multi")
    request(c, "get_all_children_number", 16, "getAllChildrenNumber", W().buf("/zkit-multi").b,
            lambda r: {"totalNumber": r.i32()}, path="/zkit-multi")
    request(c, "who_am_i", 17, "whoAmI",
            parse=lambda r: {"clientInfo": [(r.buf().decode(), r.buf().decode())
                                            for _ in range(r.i32())]})
    # Refused on a standalone server (reconfigEnabled is off): the frame is the point here.
    request(c, "reconfig_standalone", 18, "reconfig", W().buf(None).buf(None).buf(None).i64(-1).b,
            joiningServers=None, leavingServers=None, newMembers=None, curConfigId=-1)
    last_zxid = request(c, "admin_ping", -2, "ping")["zxid"]

    d = Conn(port, log)
    d.connect("admin_reconnect", last_zxid, 30000, sid, passwd)
    lists = dict(data=["/zkit-multi/b"], exist=["/zkit-multi/c"], child=["/zkit-multi"],
                 persistent=["/zkit-multi/box"], persistentRecursive=["/zkit-multi"])
    w = W().i64(last_zxid)
    for v in lists.values():
        w.strings(v)
    request(d, "set_watches2_all", -8, "setWatches2", w.b, relativeZxid=last_zxid, **lists)
    d.drain("set_watches2_all_notification")  # NodeDeleted: /zkit-multi/b went in the multi
    request(d, "admin_close", 19, "closeSession")
    d.drain("admin_close_notification")
    c.s.close()
    d.s.close()


def run_reconfig(port, password, log):
    """reconfig (16) on an ensemble as the super user: remove a follower, a stale curConfigId,
    then add the follower back (the ensemble ends as it began)."""
    c = Conn(port, log)
    c.connect("reconfig_connect", 0, 30000, 0, b"\0" * 16)
    request(c, "reconfig_auth", -4, "auth", W().i32(0).buf("digest").buf(f"super:{password}").b,
            type=0, scheme="digest", auth=f"super:{password}")
    cfg = request(c, "reconfig_get_config", 1, "getData",
                  W().buf("/zookeeper/config").boolean(False).b,
                  lambda r: {"data": r.buf().decode(), "stat": r.stat()},
                  path="/zookeeper/config", watch=False)["data"]
    servers = dict(line.split("=", 1) for line in cfg.splitlines() if line.startswith("server."))
    victim = None
    for key, spec in sorted(servers.items()):
        cport = int(spec.rsplit(":", 1)[1])
        if cport != port and "Mode: follower" in four_letter(cport, "srvr"):
            victim = key[len("server."):]
            break
    assert victim, "no follower to remove"
    config = lambda r: {"data": r.buf().decode(), "stat": r.stat()}
    left = request(c, "reconfig_leave", 2, "reconfig",
                   W().buf(None).buf(victim).buf(None).i64(-1).b, config,
                   joiningServers=None, leavingServers=victim, newMembers=None, curConfigId=-1)
    version = int(left["data"].rsplit("version=", 1)[1], 16)
    request(c, "reconfig_stale", 3, "reconfig",
            W().buf(None).buf(victim).buf(None).i64(version + 1).b,
            joiningServers=None, leavingServers=victim, newMembers=None, curConfigId=version + 1)
    joining = f"server.{victim}={servers['server.' + victim]}"
    request(c, "reconfig_join", 4, "reconfig", W().buf(joining).buf(None).buf(None).i64(version).b,
            config, joiningServers=joining, leavingServers=None, newMembers=None,
            curConfigId=version)
    request(c, "reconfig_close", 5, "closeSession")
    c.s.close()


def four_letter(port, word):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(word.encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        return data.decode(errors="replace")


def as_text(log):
    out = []
    for who, label, frame, fields in log:
        out.append(f"{who:6} {label:24} {len(frame):4} {frame.hex()}")
        out.append(f"       {fields}")
    return "\n".join(out)


def as_header(log):
    out = ["// Golden frames captured from a live ZooKeeper 3.8.0 server (Debian 12 package",
           "// zookeeper 3.8.0-11+deb12u2, standalone; the reconfig_* frames from a 3-member",
           "// ensemble; both started with zk-test-server.sh) by test/proto/capture_golden.py,",
           "// which speaks the protocol over a raw socket. Each literal is one whole frame as",
           "// it crossed the wire, length prefix included, in hex.",
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
    ap.add_argument("--reconfig-port", type=int, metavar="PORT",
                    help="client port of an ensemble member (reconfigEnabled), for the reconfig "
                         "frames")
    ap.add_argument("--super", metavar="PASS", default="super",
                    help="password of the digest super user on the ensemble (default: super)")
    ap.add_argument("--header", metavar="PATH", help="also write the frames as a C++ header")
    args = ap.parse_args()
    log = run(args.port)
    if args.reconfig_port:
        run_reconfig(args.reconfig_port, args.super, log)
    sys.stdout.write(as_text(log) + "\n")
    if args.header:
        with open(args.header, "w") as f:
            f.write(as_header(log))


if __name__ == "__main__":
    main()
