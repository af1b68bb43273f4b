"""A kazoo client driven over stdin/stdout, so the interop tests can put kazoo (python3-kazoo)
next to zkit on one ZooKeeper server. Run it with /usr/bin/python3 (Debian's kazoo).

Protocol: the same as java/CuratorPeer.java. One command per line, space-separated words; each
gets exactly one reply, "ok [result]" or "err <message>", in order. Watches report later as
"event <what> ...". The peer exits when stdin closes, so it never outlives the test.

usage: kazoo_peer.py <connect string> <session timeout in seconds> <pid of the test>
"""
import ctypes
import os
import signal
import sys
import threading


def die_with_parent(parent_pid):
    """Linux: SIGKILL when the test binary dies, even while kazoo is still connecting (before
    this peer reads stdin, whose end would tell it too). Done before the slow imports; a parent
    that died before this line is noticed by its pid."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)


if __name__ == "__main__" and len(sys.argv) > 3:
    die_with_parent(int(sys.argv[3]))

from kazoo.client import KazooClient  # noqa: E402 (after die_with_parent, on purpose)
from kazoo.recipe.barrier import Barrier  # noqa: E402
from kazoo.recipe.counter import Counter  # noqa: E402
from kazoo.recipe.lock import Lock  # noqa: E402

out_lock = threading.Lock()


def say(line):
    with out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def event(what):
    say("event " + what)


def text(data):
    return data.decode("utf-8") if data else "-"


class Peer:
    def __init__(self, connect, timeout):
        self.zk = KazooClient(hosts=connect, timeout=timeout)
        self.zk.start(timeout=30)
        self.barriers = {}
        self.counters = {}
        self.locks = {}

    # --- plain operations -------------------------------------------------------------------
    def cmd_session(self):
        return hex(self.zk.client_id[0])

    def cmd_create(self, path, data, mode="persistent"):
        return self.zk.create(path, data.encode(), ephemeral=(mode == "ephemeral"), makepath=True)

    def cmd_set(self, path, data):
        return str(self.zk.set(path, data.encode()).version)

    def cmd_get(self, path):
        data, stat = self.zk.get(path)
        return "%s %d %s" % (text(data), stat.version, hex(stat.ephemeralOwner))

    def cmd_exists(self, path):
        return "true" if self.zk.exists(path) else "false"

    def cmd_children(self, path):
        kids = sorted(self.zk.get_children(path))
        return ",".join(kids) if kids else "-"

    def cmd_delete(self, path):
        self.zk.delete(path)
        return ""

    def cmd_pipeline(self, ops):
        """Sends every op at once (create:path:data, set:path:data, delete:path, separated by
        ';') and waits for all: one session's requests, so the server applies them in order."""
        pending = []
        for op in ops.split(";"):
            kind, _, rest = op.partition(":")
            if kind == "create":
                path, _, data = rest.partition(":")
                pending.append(self.zk.create_async(path, data.encode()))
            elif kind == "set":
                path, _, data = rest.partition(":")
                pending.append(self.zk.set_async(path, data.encode()))
            elif kind == "delete":
                pending.append(self.zk.delete_async(rest))
            else:
                raise ValueError("unknown op " + op)
        for p in pending:
            p.get(timeout=30)
        return ""

    def cmd_close(self):
        """Ends the session: the server deletes its ephemeral nodes."""
        self.zk.stop()
        self.zk.close()
        return ""

    # --- watches ------------------------------------------------------------------------------
    def cmd_watch(self, path):
        """A data watch kept armed: each change reports "event changed <path> <TYPE>", then the
        value read again (with a new watch) as "event value <path> <data> <version>"."""
        def fired(ev):
            event("changed %s %s" % (path, ev.type))
            try:
                data, stat = self.zk.get(path, watch=fired)
                event("value %s %s %d" % (path, text(data), stat.version))
            except Exception as e:  # the node is gone: watch its coming back
                self.zk.exists(path, watch=fired)
                event("value %s - -1" % path)

        data, stat = self.zk.get(path, watch=fired)
        return "%s %d" % (text(data), stat.version)

    def cmd_watch_atomic(self, first, second):
        """An exists watch on `first`; when it fires, says whether `second` exists right then.
        A transaction that creates both must show both together."""
        def fired(ev):
            event("atomic %s %s %s" % (first, ev.type, self.cmd_exists(second)))

        return "true" if self.zk.exists(first, watch=fired) else "false"

    # --- kazoo's Barrier: the same layout as zkit's Barrier (the node's existence) ------------
    def cmd_barrier(self, name, path):
        self.barriers[name] = Barrier(self.zk, path)
        return ""

    def cmd_barrier_create(self, name):
        self.barriers[name].create()
        return ""

    def cmd_barrier_remove(self, name):
        return "true" if self.barriers[name].remove() else "false"

    def cmd_barrier_wait(self, name, timeout):
        def wait():
            ok = self.barriers[name].wait(timeout=float(timeout))
            event("barrier %s %s" % (name, "passed" if ok else "timeout"))

        threading.Thread(target=wait, daemon=True).start()
        return ""


    # --- kazoo's Counter in support_curator mode: Curator's SharedCount bytes (">i") -----------
    def cmd_counter(self, name, path):
        self.counters[name] = Counter(self.zk, path, default=0, support_curator=True)
        return ""

    def cmd_counter_value(self, name):
        return str(self.counters[name].value)

    def cmd_counter_add(self, name, n, times="1"):
        """Adds n, `times` times, on a thread of its own (each add reads the value and version,
        then writes with that version, retrying on BadVersion); reports "event counter-done
        <name> <last post value>"."""
        counter = self.counters[name]

        def add():
            try:
                for _ in range(int(times)):
                    self.counters[name] += int(n)  # Counter.__add__ returns the counter
                event("counter-done %s %d" % (name, counter.post_value))
            except Exception as e:
                event("counter-failed %s %s: %s" % (name, type(e).__name__, e))

        threading.Thread(target=add, daemon=True).start()
        return ""

    # --- kazoo's Lock: `<path>/<uuid hex>__lock__<seq>` nodes --------------------------------
    def cmd_lock(self, name, path):
        self.locks[name] = Lock(self.zk, path)
        return ""

    def cmd_lock_acquire(self, name, timeout):
        """Acquires on a thread of its own; reports "event lock <name> acquired <node>", or
        "event lock <name> failed <error>" (LockTimeout or NotAcquired when the time ran out)."""
        lock = self.locks[name]

        def acquire():
            try:
                if lock.acquire(timeout=float(timeout)):
                    event("lock %s acquired %s" % (name, lock.node))
                else:  # kazoo's retry deadline passed
                    event("lock %s failed NotAcquired" % name)
            except Exception as e:
                event("lock %s failed %s" % (name, type(e).__name__))

        threading.Thread(target=acquire, daemon=True).start()
        return ""

    def cmd_lock_release(self, name):
        return "true" if self.locks[name].release() else "false"

    def cmd_lock_held(self, name):
        return "true" if self.locks[name].is_acquired else "false"


def main():
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 6.0
    peer = Peer(sys.argv[1], timeout)
    say("ready")
    for line in sys.stdin:
        words = line.strip().split(" ")
        if not words[0]:
            continue
        try:
            handler = getattr(peer, "cmd_" + words[0].replace("-", "_"))
            result = handler(*words[1:])
            say("ok " + result if result else "ok")
        except Exception as e:
            say("err %s: %s" % (type(e).__name__, str(e).replace("\n", " ")))
    # stdin closed: the test is done (or died). Leave at once, whatever kazoo's threads do.
    os._exit(0)


if __name__ == "__main__":
    main()
