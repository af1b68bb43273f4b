#!/usr/bin/python3
"""W1 and W2 through Python, one client per process, run by zkit-bench (bindings_workload.cpp):
zkit's binding (`zkit.kazoo.KazooClient`) or kazoo 2.8 (Debian's python3-kazoo,
`kazoo.client.KazooClient`). Both sides run this same code through kazoo's API, so only the
client under it differs (what a kazoo user gets by changing one import). A third client,
`zkit-native`, runs the same workloads through zkit's own API instead: W1 on `zkit.aio`
(futures on an asyncio loop, the binding's pipelined face), W2 on `zkit.Client.get`.

    python_w1w2.py --serve <zkit | kazoo | zkit-native> <connect> <window> <payload bytes>
    python_w1w2.py [--quick] <root> <connect>

For zkit-bench (the first form): connects, prints {"ready": true}, then answers each command on
standard input with one JSON line:

  w1 <create|get|set|delete> <dir> <count>
      that operation on <dir>/n0000000 ... (the create makes <dir> first, unmeasured), keeping
      <window> requests outstanding (the `*_async` forms, or zkit.aio's futures; a completion
      frees a slot):
      {"ops", "errors", "seconds", "cpu_seconds"[, "failure"]}
  w2 <node> <count>
      <count> sequential gets of <node> (made first if missing), each sent when the previous
      reply arrived: {"micros": [...]}
  quit

By hand (the second form): the three clients, each in a child process serving as above, both
workloads once under <root> with 1,000 outstanding and 100-byte payloads (N = 100,000 nodes,
10,000 gets after 500 unmeasured; --quick: 300 nodes, 200 gets after 20, a smoke run whose
figures mean nothing), printed as one JSON object with each zkit face's ratios to kazoo.

CPU time is getrusage(RUSAGE_SELF): user + system of every thread of this process (zkit's loop
and dispatcher threads, kazoo's connection and handler threads), as the C++ side measures
itself. time.monotonic_ns() is CLOCK_MONOTONIC, as on the C++ side.
"""
import asyncio
import json
import math
import os
import resource
import subprocess
import sys
import threading
import time

SESSION_TIMEOUT_S = 40.0  # as the C++ workloads' sessions
PHASE_LIMIT_S = 600.0     # zkit-bench kills this process sooner; this bounds a run by hand


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make_client(name, hosts):
    if name == "zkit-native":
        import zkit
        return zkit.Client(hosts, session_timeout=SESSION_TIMEOUT_S)
    if name == "zkit":
        from zkit.kazoo import KazooClient
    elif name == "kazoo":
        from kazoo.client import KazooClient
    else:
        raise SystemExit("unknown client " + name)
    c = KazooClient(hosts=hosts, timeout=SESSION_TIMEOUT_S)
    c.start(timeout=30)
    return c


def pipelined(issue, count, window):
    """Runs issue(i) for i < count with at most `window` outstanding; issue returns kazoo's
    IAsyncResult. Returns (errors, first error)."""
    slots = threading.Semaphore(window)
    done = threading.Event()
    state = {"left": count, "errors": 0, "first": None}
    guard = threading.Lock()

    def finished(result):
        ok = result.successful()
        with guard:
            state["left"] -= 1
            if not ok:
                state["errors"] += 1
                if state["first"] is None:
                    state["first"] = repr(result.exception)
            last = state["left"] == 0
        slots.release()
        if last:
            done.set()

    until = time.monotonic() + PHASE_LIMIT_S
    for i in range(count):
        if not slots.acquire(timeout=max(until - time.monotonic(), 0)):
            break
        issue(i).rawlink(finished)
    if not done.wait(max(until - time.monotonic(), 0)):
        raise RuntimeError("%d requests still outstanding after %d s" % (state["left"], PHASE_LIMIT_S))
    return state["errors"], state["first"]


def issuer(phase, directory, count, payload, create, get, set_, delete):
    """issue(i) of a W1 phase on <directory>/n0000000 ..., through a client's four calls."""
    paths = ["%s/n%07d" % (directory, i) for i in range(count)]
    return {
        "create": lambda i: create(paths[i], payload),
        "get": lambda i: get(paths[i]),
        "set": lambda i: set_(paths[i], payload),
        "delete": lambda i: delete(paths[i]),
    }[phase]


def w1(zk, phase, directory, count, window, payload):
    if phase == "create":
        zk.ensure_path(directory)
    issue = issuer(phase, directory, count, payload, zk.create_async, zk.get_async, zk.set_async, zk.delete_async)
    return measured(lambda: pipelined(issue, count, window), count)


class Native:
    """The zkit-native client: zkit.Client for W2 and set-up, zkit.aio on one asyncio loop for W1."""

    def __init__(self, client):
        import zkit.aio
        self.client = client
        self.aio = zkit.aio.AsyncClient(client)
        self.loop = asyncio.new_event_loop()

    def w1(self, phase, directory, count, window, payload):
        import zkit
        if phase == "create":
            node = ""
            for part in directory.strip("/").split("/"):
                node += "/" + part
                try:
                    self.client.create(node)
                except zkit.ZkitError as e:
                    if e.args[1] != "node_exists":
                        raise
        aio = self.aio
        issue = issuer(phase, directory, count, payload, aio.create, aio.get, aio.set, aio.delete)
        return measured(lambda: self.loop.run_until_complete(self._pipelined(issue, count, window)), count)

    async def _pipelined(self, issue, count, window):
        """As pipelined(), with an asyncio semaphore and done callbacks on zkit.aio's futures."""
        slots = asyncio.Semaphore(window)
        done = self.loop.create_future()
        state = {"left": count, "errors": 0, "first": None}

        def finished(future):
            state["left"] -= 1
            if future.exception() is not None:
                state["errors"] += 1
                if state["first"] is None:
                    state["first"] = repr(future.exception())
            slots.release()
            if state["left"] == 0:
                done.set_result(None)

        async def run():
            for i in range(count):
                await slots.acquire()
                issue(i).add_done_callback(finished)
            await done
        try:
            await asyncio.wait_for(run(), PHASE_LIMIT_S)
        except asyncio.TimeoutError:
            raise RuntimeError("%d requests still outstanding after %d s" % (state["left"], PHASE_LIMIT_S))
        return state["errors"], state["first"]

    def w2(self, node, count, payload):
        zk = self.client
        if zk.exists(node) is None:
            zk.create(node, payload)
        return {"micros": timed_gets(zk, node, count)}

    def stop(self):
        self.loop.close()
        self.client.close()


def measured(run, count):
    """Runs run() -> (errors, first error) and reports it as a W1 phase's answer."""
    cpu0, t0 = cpu_seconds(), time.monotonic()
    try:
        errors, first = run()
        failure = None if errors == 0 else "%d of %d requests failed, the first with %s" % (errors, count, first)
    except RuntimeError as e:
        errors, failure = count, str(e)
    out = {"ops": count, "errors": errors, "seconds": time.monotonic() - t0, "cpu_seconds": cpu_seconds() - cpu0}
    if failure:
        out["failure"] = failure
    return out


def timed_gets(zk, node, count):
    micros = []
    for _ in range(count):
        t0 = time.monotonic_ns()
        zk.get(node)
        micros.append(round((time.monotonic_ns() - t0) / 1000.0, 1))
    return micros


def w2(zk, node, count, payload):
    if zk.exists(node) is None:
        zk.create(node, payload)
    return {"micros": timed_gets(zk, node, count)}


def serve(name, hosts, window, payload):
    zk = make_client(name, hosts)
    native = Native(zk) if name == "zkit-native" else None
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        words = line.split()
        try:
            if words[:1] == ["w1"] and len(words) == 4:
                if native:
                    out = native.w1(words[1], words[2], int(words[3]), window, payload)
                else:
                    out = w1(zk, words[1], words[2], int(words[3]), window, payload)
            elif words[:1] == ["w2"] and len(words) == 3:
                out = native.w2(words[1], int(words[2]), payload) if native else w2(zk, words[1], int(words[2]), payload)
            elif words == ["quit"]:
                break
            else:
                out = {"failure": "unknown command: " + line.strip()}
        except Exception as e:  # reported to the parent, which records it and goes on
            out = {"failure": repr(e)}
        print(json.dumps(out), flush=True)
    if native:
        native.stop()
    else:
        zk.stop()
        zk.close()
    return 0


FULL = {"nodes": 100000, "gets": 10000, "warmup": 500}
QUICK = {"nodes": 300, "gets": 200, "warmup": 20}


def rank(sorted_values, p):
    r = math.ceil(p / 100.0 * len(sorted_values))
    return sorted_values[min(max(r, 1), len(sorted_values)) - 1]


def by_hand(root, hosts, sizes):
    """The clients one after the other, each a child serving commands; the old report's shape."""
    results = []
    for name in ("zkit", "kazoo", "zkit-native"):
        child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", name, hosts, "1000", "100"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

        def ask(command):
            child.stdin.write(command + "\n")
            child.stdin.flush()
            answer = json.loads(child.stdout.readline() or '{"failure": "it exited"}')
            if "failure" in answer:
                raise SystemExit("%s: %s: %s" % (name, command, answer["failure"]))
            return answer

        if not json.loads(child.stdout.readline() or "{}").get("ready"):
            raise SystemExit("%s: the client did not connect" % name)
        base = "%s/%s" % (root, name)
        phases = {}
        for phase in ("create", "get", "set", "delete"):
            a = ask("w1 %s %s %d" % (phase, base, sizes["nodes"]))
            phases[phase] = {"ops": a["ops"], "ops_per_s": a["ops"] / max(a["seconds"], 1e-9),
                             "client_cpu_us_per_op": a["cpu_seconds"] * 1e6 / a["ops"], "failures": a["errors"]}
        ask("w2 %s/w2 %d" % (base, sizes["warmup"]))
        micros = sorted(ask("w2 %s/w2 %d" % (base, sizes["gets"]))["micros"])
        child.stdin.write("quit\n")
        child.stdin.close()
        child.wait(60)
        results.append({"client": name, "w1": phases,
                        "w2": {"gets": len(micros), "p50_us": rank(micros, 50), "p99_us": rank(micros, 99)}})
    z, k, native = results

    def ratios(z):
        return {"w1": {ph: {"throughput": z["w1"][ph]["ops_per_s"] / max(k["w1"][ph]["ops_per_s"], 1e-9),
                            "cpu_per_op": z["w1"][ph]["client_cpu_us_per_op"] / max(k["w1"][ph]["client_cpu_us_per_op"], 1e-9)}
                       for ph in z["w1"]},
                "w2_p50": z["w2"]["p50_us"] / max(k["w2"]["p50_us"], 1e-9)}
    return {"sizes": sizes, "clients": results, "ratios": ratios(z), "ratios_native": ratios(native)}


def main(argv):
    if argv[:1] == ["--serve"] and len(argv) == 5:
        return serve(argv[1], argv[2], int(argv[3]), b"x" * int(argv[4]))
    quick = argv[:1] == ["--quick"]
    args = argv[1:] if quick else argv
    if len(args) != 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    print(json.dumps(by_hand(args[0], args[1], QUICK if quick else FULL), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
