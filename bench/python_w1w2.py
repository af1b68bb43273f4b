#!/usr/bin/python3
"""W1 and W2 through Python: zkit's binding beside kazoo 2.8 (Debian's python3-kazoo), same
server, same driver code, printed as one JSON object.

    python_w1w2.py [--quick] <root> <connect>

The two clients are `zkit.kazoo.KazooClient` and `kazoo.client.KazooClient`: kazoo's API on
both sides, so the code measured is the same and only the client under it differs (what a kazoo
user gets by changing one import). Each client runs in a child process of its own (this script
with `--client NAME`), so that its CPU time is its own: the child's getrusage(RUSAGE_SELF)
(user + system, every thread: zkit's loop and dispatcher threads, kazoo's connection and
handler threads) is read around each phase.

- W1 pipelined: create N znodes with 100-byte payloads keeping W requests outstanding (the
  `*_async` forms; a completion callback frees a slot), then get, set and delete them the same
  way. Per phase: ops/s and client CPU us/op.
- W2 latency: sequential gets of one node, each sent when the previous reply arrived; p50 and
  p99 in us.

Sizes: N = 100,000, W = 1,000, 10,000 gets (500 unmeasured first); --quick: N = 300, W = 50,
200 gets (a smoke run that checks the harness works, in suite bench; its figures mean nothing).
Do not read figures from a loaded machine (docs/benchmarks.md, "Method").
"""
import json
import math
import os
import resource
import subprocess
import sys
import threading
import time

FULL = {"nodes": 100000, "window": 1000, "gets": 10000, "warmup": 500}
QUICK = {"nodes": 300, "window": 50, "gets": 200, "warmup": 20}
PAYLOAD = b"x" * 100


def cpu_us():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return (r.ru_utime + r.ru_stime) * 1e6


def rank(sorted_values, p):
    if not sorted_values:
        return 0.0
    r = math.ceil(p / 100.0 * len(sorted_values))
    return sorted_values[min(max(r, 1), len(sorted_values)) - 1]


def make_client(name, hosts):
    if name == "zkit":
        from zkit.kazoo import KazooClient
    elif name == "kazoo":
        from kazoo.client import KazooClient
    else:
        raise SystemExit("unknown client " + name)
    c = KazooClient(hosts=hosts, timeout=30.0)
    c.start(timeout=30)
    return c


def pipelined(issue, count, window):
    """Runs issue(i) for i < count with at most `window` outstanding; issue returns kazoo's
    IAsyncResult. Returns (seconds, failures)."""
    slots = threading.Semaphore(window)
    done = threading.Event()
    state = {"left": count, "failures": 0}
    guard = threading.Lock()

    def finished(result):
        ok = result.successful()
        with guard:
            state["left"] -= 1
            if not ok:
                state["failures"] += 1
            last = state["left"] == 0
        slots.release()
        if last:
            done.set()

    start = time.monotonic()
    for i in range(count):
        slots.acquire()
        issue(i).rawlink(finished)
    if not done.wait(600):
        raise RuntimeError("W1: %d requests still outstanding after 600 s" % state["left"])
    return time.monotonic() - start, state["failures"]


def run_client(name, hosts, root, sizes):
    zk = make_client(name, hosts)
    base = "%s/%s" % (root, name)
    zk.ensure_path(base)
    n, w = sizes["nodes"], sizes["window"]
    paths = ["%s/n-%07d" % (base, i) for i in range(n)]
    phases = {}
    for phase, issue in (
            ("create", lambda i: zk.create_async(paths[i], PAYLOAD)),
            ("get", lambda i: zk.get_async(paths[i])),
            ("set", lambda i: zk.set_async(paths[i], PAYLOAD)),
            ("delete", lambda i: zk.delete_async(paths[i]))):
        cpu0 = cpu_us()
        seconds, failures = pipelined(issue, n, w)
        cpu = cpu_us() - cpu0
        phases[phase] = {"ops": n, "ops_per_s": n / seconds if seconds > 0 else 0.0,
                         "client_cpu_us_per_op": cpu / n, "failures": failures}
    node = base + "/w2"
    zk.create(node, PAYLOAD)
    for _ in range(sizes["warmup"]):
        zk.get(node)
    micros = []
    for _ in range(sizes["gets"]):
        t0 = time.monotonic_ns()
        zk.get(node)
        micros.append((time.monotonic_ns() - t0) / 1000.0)
    micros.sort()
    zk.delete(node)
    zk.delete(base)
    zk.stop()
    zk.close()
    return {"client": name, "w1": phases,
            "w2": {"gets": len(micros), "p50_us": rank(micros, 50), "p99_us": rank(micros, 99)}}


def main(argv):
    if len(argv) >= 2 and argv[0] == "--client":
        name, rest = argv[1], argv[2:]
        quick = rest and rest[0] == "--quick"
        root, hosts = rest[-2], rest[-1]
        print(json.dumps(run_client(name, hosts, root, QUICK if quick else FULL)))
        return 0
    quick = bool(argv) and argv[0] == "--quick"
    args = argv[1:] if quick else argv
    if len(args) != 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    root, hosts = args
    results = []
    for name in ("zkit", "kazoo"):
        cmd = [sys.executable, os.path.abspath(__file__), "--client", name] + (["--quick"] if quick else []) + [root, hosts]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
        if out.returncode != 0:
            sys.stderr.write(out.stderr)
            raise SystemExit("%s: the %s client failed" % (sys.argv[0], name))
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    failures = sum(p["failures"] for r in results for p in r["w1"].values())
    report = {"sizes": QUICK if quick else FULL, "clients": results}
    # issue 14's targets (zkit beside kazoo): W1 >= 1.8x throughput and <= 0.25x client CPU per
    # op in every phase; W2 p50 <= 0.8x. Verdicts only; the figures come from full runs.
    z, k = results
    report["ratios"] = {
        "w1": {ph: {"throughput": z["w1"][ph]["ops_per_s"] / max(k["w1"][ph]["ops_per_s"], 1e-9),
                    "cpu_per_op": z["w1"][ph]["client_cpu_us_per_op"] / max(k["w1"][ph]["client_cpu_us_per_op"], 1e-9)}
               for ph in z["w1"]},
        "w2_p50": z["w2"]["p50_us"] / max(k["w2"]["p50_us"], 1e-9),
    }
    print(json.dumps(report, indent=1))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
