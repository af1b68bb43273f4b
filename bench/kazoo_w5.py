#!/usr/bin/python3
"""W5 through kazoo 2.8 (Debian's python3-kazoo): the same two measurements as zkit's
(recipes_workload.cpp) and Curator's (java/CuratorW5.java), printed as one JSON object.

    kazoo_w5.py <connect> <root> <contenders> <hand-offs> <members> <failovers> <timeout ms>

Lock hand-off: one KazooClient (session) and one Lock per contender on <root>/lock, each on its
own thread, acquiring and releasing at once in turn; the time from a holder calling release()
to the next holder's acquire() returning. Leader failover: one session and one Election per
member on <root>/election; the leader's session is closed and the time to the next member's
elected function being called is measured; a new member then joins. time.monotonic_ns() is
CLOCK_MONOTONIC, as on the other sides.
"""
import json
import math
import sys
import threading
import time

from kazoo.client import KazooClient


def session(hosts, timeout_s):
    c = KazooClient(hosts=hosts, timeout=timeout_s)
    c.start(timeout=30)
    return c


def summary(micros):
    v = sorted(micros)

    def rank(p):
        if not v:
            return 0.0
        r = math.ceil(p / 100.0 * len(v))
        return v[min(max(r, 1), len(v)) - 1]

    return {"count": len(v), "p50_us": rank(50), "p99_us": rank(99), "max_us": v[-1] if v else 0.0}


def now_us():
    return time.monotonic_ns() / 1000.0


def lock_handoff(hosts, timeout_s, root, contenders, rounds):
    sessions = [session(hosts, timeout_s) for _ in range(contenders)]
    micros = []
    state = {"released": None, "failure": None}
    guard = threading.Lock()

    def contend(client, i):
        lock = client.Lock(root + "/lock", "contender-%d" % i)
        try:
            while len(micros) < rounds and state["failure"] is None:
                if not lock.acquire(timeout=60):
                    state["failure"] = "lock acquire timed out"
                    break
                with guard:
                    if state["released"] is not None and len(micros) < rounds:
                        micros.append(now_us() - state["released"])
                    state["released"] = now_us()
                lock.release()
        except Exception as e:  # reported in the JSON, not raised: the other side still runs
            state["failure"] = "lock: %r" % e

    threads = [threading.Thread(target=contend, args=(c, i)) for i, c in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    for c in sessions:
        c.stop()
        c.close()
    out = {"contenders": contenders, "handoff": summary(micros)}
    if state["failure"]:
        out["failure"] = state["failure"]
    return out


# Notified when a member is elected, so the measuring thread waits instead of spinning (it would
# hold the GIL that kazoo's threads need).
elected_cond = threading.Condition()


class Member:
    def __init__(self, hosts, timeout_s, root, ident):
        self.client = session(hosts, timeout_s)
        self.election = self.client.Election(root + "/election", ident)
        self.acquired = None
        self.leading = False
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def elected(self):
        with elected_cond:
            self.acquired = now_us()
            self.leading = True
            elected_cond.notify_all()
        self.stop.wait()

    def run(self):
        try:
            self.election.run(self.elected)
        except Exception:  # its session was closed under it: the point of the exercise
            pass


def leader_failover(hosts, timeout_s, root, members, failovers):
    def join(ident):
        m = Member(hosts, timeout_s, root, "member-%d" % ident)
        until = time.monotonic() + 30
        while "member-%d" % ident not in m.election.contenders():
            if time.monotonic() > until:
                raise RuntimeError("a member did not join the election in time")
            time.sleep(0.001)
        return m

    alive, gone, micros, failure = [], [], [], None
    joined = 0
    try:
        for _ in range(members):
            alive.append(join(joined))
            joined += 1
        for rnd in range(failovers):
            with elected_cond:
                if not elected_cond.wait_for(lambda: any(m.leading for m in alive), 60):
                    raise RuntimeError("no leader in time")
                leader = next(m for m in alive if m.leading)
                for m in alive:
                    m.acquired = None
            start = now_us()
            # The leader's session closes (its ephemeral node goes with it): the next takes over.
            leader.client.stop()
            leader.stop.set()

            def taken_over():
                return next((m for m in alive if m is not leader and m.acquired is not None), None)

            with elected_cond:
                if not elected_cond.wait_for(taken_over, 60):
                    raise RuntimeError("no new leader in time after round %d" % rnd)
                nxt = taken_over()
            micros.append(nxt.acquired - start)
            alive.remove(leader)
            gone.append(leader)
            alive.append(join(joined))
            joined += 1
    except Exception as e:
        failure = repr(e)
    for m in alive:
        m.stop.set()
        m.client.stop()
    for m in alive + gone:
        m.client.close()
    out = {"members": members, "failover": summary(micros)}
    if failure:
        out["failure"] = failure
    return out


def main():
    if len(sys.argv) != 8:
        raise SystemExit(__doc__.split("\n\n")[1])
    hosts, root = sys.argv[1], sys.argv[2]
    contenders, handoffs, members, failovers, timeout_ms = (int(a) for a in sys.argv[3:])
    timeout_s = timeout_ms / 1000.0
    lock = lock_handoff(hosts, timeout_s, root, contenders, handoffs)
    election = leader_failover(hosts, timeout_s, root, members, failovers)
    print(json.dumps({"client": "kazoo", "lock": lock, "election": election}))


if __name__ == "__main__":
    main()
