"""The conformance scenario (scenario.json) through zkit's Python binding (zkit.Client).

    run_python.py SCENARIO CONNECT              runs every step; exit 0 when all match
    run_python.py --mutex-child CONNECT PATH    the second process of mutex_contended

ZKIT_TEST_EXPIRER names the expire_session program (expire_session step). README.md beside
this file describes the format; each step's check is the same in every runner.
"""
import json
import os
import subprocess
import sys
import threading

import zkit

WAIT = 20.0  # seconds any awaited event may take


class Mismatch(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Mismatch(what)


class Runner:
    def __init__(self, scenario, connect):
        self.s = scenario
        self.connect = connect
        self.zk = None
        self.code_of = scenario["errors"]
        self.event_name = {v: k for k, v in scenario["event_types"].items()}

    # An operation's outcome as the scenario names it: ("ok", value) or (error name, None),
    # checking that the binding's code for the name is the scenario's.
    def outcome(self, fn, *args):
        try:
            return "ok", fn(*args)
        except zkit.ZkitError as e:
            code, name, _message = e.args
            expect(self.code_of.get(name, code) == code, "error %s has code %d here, %s in the scenario"
                   % (name, code, self.code_of.get(name)))
            return name, None

    def barrier(self, client):
        """Returns once every callback queued before it (watchers included) has run: an
        asynchronous sync's completion runs on the same dispatcher, after them."""
        done = threading.Event()
        client._core.sync("/", callback=lambda err, value: done.set())
        expect(done.wait(WAIT), "a sync did not complete")

    def mode(self, name):
        return self.s["create_modes"][name]

    # --- steps -------------------------------------------------------------------------------
    def step_connect(self, st):
        self.zk = zkit.Client(self.connect)
        expect(self.zk.state == st["expect"]["state"], "state %s" % self.zk.state)

    def step_create(self, st):
        want = st["expect"]
        got, path = self.outcome(self.zk.create, st["path"], st.get("data", "").encode(), self.mode(st["mode"]))
        expect(got == want.get("error", "ok"), "create %s: %s" % (st["path"], got))
        if got != "ok":
            return
        if "path" in want:
            expect(path == want["path"], "created %s" % path)
        if "path_prefix" in want:
            suffix = path[len(want["path_prefix"]):]
            expect(path.startswith(want["path_prefix"]) and len(suffix) == want["sequence_digits"]
                   and suffix.isdigit(), "sequential path %s" % path)
        if want.get("owned_by_session"):
            expect(self.zk.exists(path).ephemeral_owner == self.zk.session_id, "owner of %s" % path)

    def step_get(self, st):
        want = st["expect"]
        got, value = self.outcome(self.zk.get, st["path"])
        expect(got == want.get("error", "ok"), "get %s: %s" % (st["path"], got))
        if got == "ok":
            data, stat = value
            expect(data == want["data"].encode() and stat.version == want["version"], "get %s: %r v%d"
                   % (st["path"], data, stat.version))

    def step_set(self, st):
        want = st["expect"]
        got, stat = self.outcome(self.zk.set, st["path"], st["data"].encode(), st["version"])
        expect(got == want.get("error", "ok"), "set %s: %s" % (st["path"], got))
        if got == "ok":
            expect(stat.version == want["version"], "set version %d" % stat.version)

    def step_delete(self, st):
        got, _ = self.outcome(self.zk.delete, st["path"], st["version"])
        expect(got == st["expect"].get("error", "ok"), "delete %s: %s" % (st["path"], got))

    def events_of(self, seen):
        return [{"type": self.event_name.get(e.type, str(e.type)), "path": e.path} for e in seen]

    def step_watch_once(self, st):
        seen = []
        self.zk.get(st["path"], watch=seen.append)
        for data in st["sets"]:
            self.zk.set(st["path"], data.encode())
        self.barrier(self.zk)
        expect(self.events_of(seen) == st["expect"]["events"], "one-shot watch saw %s" % self.events_of(seen))

    def apply(self, change):
        if "create" in change:
            self.zk.create(change["create"], change.get("data", "").encode())
        elif "set" in change:
            self.zk.set(change["set"], change["data"].encode())
        elif "delete" in change:
            self.zk.delete(change["delete"])

    def step_persistent_watch(self, st):
        seen = []
        handle = self.zk.add_watch(st["path"], seen.append, recursive=st["recursive"])
        for change in st["changes"]:
            self.apply(change)
        self.barrier(self.zk)
        handle.remove()
        for change in st["after_remove"]:
            self.apply(change)
        self.barrier(self.zk)
        expect(self.events_of(seen) == st["expect"]["events"], "persistent watch saw %s" % self.events_of(seen))

    def step_multi(self, st):
        want = st["expect"]
        ops = []
        for op in st["ops"]:
            if "create" in op:
                ops.append(("create", op["create"], op.get("data", "").encode(), 0, None))
            elif "check" in op:
                ops.append(("check", op["check"], op["version"]))
            elif "set" in op:
                ops.append(("set", op["set"], op["data"].encode(), op["version"]))
        committed, results = self.zk.multi(ops)
        names = [name for _code, name, _path, _stat, _data, _children in results]
        for code, name, *_ in results:
            expect(self.code_of[name] == code, "multi result %s has code %d" % (name, code))
        expect(names == want["results"], "multi results %s" % names)
        expect(committed == ("error" not in want), "multi committed %s" % committed)
        if "error" in want:
            first = next(i for i, n in enumerate(names) if n != "ok")
            expect(names[first] == want["error"] and first == want["failed_op"], "multi failed at %d" % first)
        for path in want.get("absent", []):
            expect(self.zk.exists(path) is None, "%s exists after a failed multi" % path)

    def step_mutex_contended(self, st):
        path = st["path"]
        with zkit.Client(self.connect) as mine:
            with mine.mutex(path) as first:
                child = subprocess.Popen([sys.executable, __file__, "--mutex-child", self.connect, path],
                                         stdout=subprocess.PIPE, text=True)
                try:
                    # The second process waits: its lock node is there, behind ours.
                    waited = False
                    for _ in range(10):
                        changed = threading.Event()
                        if len(mine.get_children(path, watch=lambda e: changed.set())[0]) == 2:
                            waited = True
                            break
                        changed.wait(WAIT)
                    expect(waited, "the second process never queued for the lock")
                    expect(child.poll() is None, "the second process did not wait")
                except BaseException:
                    child.kill()
                    raise
            out, _ = child.communicate(timeout=WAIT)
        expect(child.returncode == 0, "the second process failed")
        second = int(out.split()[1])
        expect(second > first, "tokens %d then %d" % (first, second))

    def step_leader_handover(self, st):
        a, b = zkit.Client(self.connect), zkit.Client(self.connect)
        try:
            # The second joins once the first leads: "first" is then the order of the election.
            la = a.leader_latch(st["path"], "a")
            t1 = la.await_leadership(WAIT)
            expect(la.has_leadership(), "the first participant does not lead")
            lb = b.leader_latch(st["path"], "b")
            got, _ = self.outcome(lb.await_leadership, 0.0)
            expect(got == "request_timeout" and not lb.has_leadership(), "the second participant did not wait")
            la.close()
            t2 = lb.await_leadership(WAIT)
            expect(t2 > t1, "tokens %d then %d" % (t1, t2))
            lb.close()
        finally:
            a.close()
            b.close()

    def step_expire_session(self, st):
        want = st["expect"]
        zk = zkit.Client(self.connect)
        try:
            states = []
            expired = threading.Event()

            def on_state(name):
                states.append(name)
                if name == "expired":
                    expired.set()
            zk.add_listener(on_state)
            expirer = os.environ.get("ZKIT_TEST_EXPIRER")
            expect(expirer, "ZKIT_TEST_EXPIRER is not set")
            subprocess.run([expirer, self.connect, "%x" % (zk.session_id & 0xFFFFFFFFFFFFFFFF), zk.session_password.hex()], check=True,
                           timeout=WAIT)
            expect(expired.wait(WAIT), "the session was not told it expired (states %s)" % states)
            expect(zk.state == want["state"], "state %s" % zk.state)
            then = want["then"]
            got, _ = self.outcome(zk.get, then["path"])
            expect(got == then["error"], "after expiry, get: %s" % got)
        finally:
            zk.close()

    def step_close_with_pending(self, st):
        want = st["expect"]
        zk = zkit.Client(self.connect)
        lock = threading.Lock()
        calls = []

        def done(err, value):
            with lock:
                calls.append(None if err is None else err[1])
        for _ in range(st["count"]):
            zk._core.sync("/", callback=done)
        zk.close()  # every callback has run when it returns
        expect(len(calls) == want["callbacks"], "%d callbacks" % len(calls))
        expect(all(c is None or c in want["errors_allowed"] for c in calls), "errors %s" % set(calls))

    def run(self):
        failures = 0
        for i, st in enumerate(self.s["steps"]):
            try:
                getattr(self, "step_" + st["op"])(st)
                print("ok   %2d %s" % (i, st["op"]))
            except Mismatch as e:
                failures += 1
                print("FAIL %2d %s: %s" % (i, st["op"], e))
        if self.zk is not None:
            self.zk.close()
        return failures


def mutex_child(connect, path):
    with zkit.Client(connect) as zk:
        with zk.mutex(path, timeout=WAIT) as token:
            print("token", token, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--mutex-child":
        mutex_child(sys.argv[2], sys.argv[3])
        sys.exit(0)
    with open(sys.argv[1]) as f:
        scenario = json.load(f)
    failed = Runner(scenario, sys.argv[-1]).run()
    print("python runner: %s" % ("all steps match" if not failed else "%d step(s) differ" % failed))
    sys.exit(1 if failed else 0)
