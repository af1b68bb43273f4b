#!/usr/bin/python3
"""Draws zkit-bench's JSON results as one PNG: zkit beside the raw client, the C client,
Curator and kazoo, workload by workload, and every target's ratio.

    bench/plot.py bench/results.json bench/results.png

Needs Debian's package python3-matplotlib.
"""
import json
import sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    raise SystemExit("matplotlib is missing: apt-get install python3-matplotlib (and run this with "
                     "Debian's /usr/bin/python3, as the #! line does)")

COLORS = {"zkit": "#2a7ab0", "raw": "#7a7a7a", "c": "#c8553d", "curator": "#8a5ab0", "kazoo": "#d0a030"}
NAMES = {"zkit": "zkit", "raw": "raw client", "c": "C client", "curator": "Curator", "kazoo": "kazoo",
         "nzc": "node-zookeeper-client"}


def get(obj, *keys):
    for k in keys:
        if not isinstance(obj, dict) or k not in obj:
            return None
        obj = obj[k]
    if isinstance(obj, dict) and "failure" in obj:
        return None
    return obj


def count(v):
    return f"{v:,}" if isinstance(v, int) else "?"


def bars(ax, labels, series, title, ylabel, fmt="{:.0f}", log=False):
    """Grouped bars, one per client in `series` ([(client, values)]); missing values are left out.
    A workload the results do not hold (zkit-bench --only) gets a note instead of an axis."""
    if all(v is None for _, values in series for v in values):
        ax.set_title(title, fontsize=10)
        ax.text(0.5, 0.5, "not in these results", ha="center", va="center", fontsize=9, transform=ax.transAxes)
        ax.axis("off")
        return
    width = 0.8 / max(1, len(series))
    xs = range(len(labels))
    for i, (client, values) in enumerate(series):
        offset = (i - (len(series) - 1) / 2) * width
        pos = [x + offset for x, v in zip(xs, values) if v is not None]
        vals = [v for v in values if v is not None]
        drawn = ax.bar(pos, vals, width, color=COLORS[client], label=NAMES[client])
        for rect, v in zip(drawn, vals):
            ax.annotate(fmt.format(v), (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                        ha="center", va="bottom", fontsize=6)
    ax.set_xticks(list(xs))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=7)
    if log:
        ax.set_yscale("log")
    ax.margins(y=0.15)


def ratios(ax, rows):
    """zkit / them for every target set against another client, with the bound as a tick."""
    items = []
    for r in rows:
        for c in r.get("checks", []):
            b = next((b for b in r.get("beside", []) if b["client"] == c["against"]), None)
            if b and b.get("ratio") is not None:
                met = b["ratio"] <= c["bound"] if c["op"] == "<=" else b["ratio"] >= c["bound"]
                items.append((f"{r['workload']}: {r['metric']} / {NAMES[c['against']]}", b["ratio"], c["bound"], met))
    ys = range(len(items))
    ax.barh(list(ys), [i[1] for i in items], color=["#3a9a4a" if i[3] else "#d04040" for i in items])
    for y, (_, ratio, bound, _) in zip(ys, items):
        ax.plot([bound, bound], [y - 0.4, y + 0.4], color="black", linewidth=1.5)
        ax.annotate(f"{ratio:.2f}", (ratio, y), xytext=(3, -3), textcoords="offset points", fontsize=6)
    ax.set_yticks(list(ys))
    ax.set_yticklabels([i[0] for i in items], fontsize=6)
    ax.invert_yaxis()
    ax.axvline(1.0, color="grey", linewidth=0.8, linestyle=":")
    ax.set_title("zkit / them (green: target met; black tick: target)", fontsize=10)
    ax.tick_params(axis="x", labelsize=7)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        res = json.load(f)
    fig, axes = plt.subplots(2, 5, figsize=(27, 10))
    meta = res.get("meta", {})

    phases = ["create", "get", "set", "delete"]
    w1 = res.get("w1", {}).get("phases", {})
    trio = ("zkit", "raw", "c")

    def w1_bars(ax, field, title, unit, fmt):
        bars(ax, phases, [(k, [get(w1, p, k, field) for p in phases]) for k in trio], title, unit, fmt)

    w1_bars(axes[0][0], "ops_per_sec", f"W1 pipelined, {count(res.get('w1', {}).get('nodes'))} nodes: throughput",
            "ops/s", "{:.0f}")
    w1_bars(axes[0][1], "cpu_us_per_op", "W1: client CPU per operation", "µs/op", "{:.1f}")
    w1_bars(axes[0][2], "wakeups_per_op", "W1: client wake-ups per operation", "wake-ups/op", "{:.2f}")

    w2 = res.get("w2", {})
    pcts = [("p50", "p50_us"), ("p90", "p90_us"), ("p99", "p99_us"), ("p99.9", "p999_us")]
    bars(axes[0][3], [p for p, _ in pcts], [(k, [get(w2, k, f) for _, f in pcts]) for k in trio],
         f"W2: {count(w2.get('gets'))} sequential gets, latency", "µs (log scale)", log=True)

    w3 = res.get("w3", {})
    c_runs = {r.get("sessions"): r for r in w3.get("c", [])}
    labels, zk, cc = [], [], []
    for z in w3.get("zkit", []):
        n = z.get("sessions")
        c_run = c_runs.get(n)
        labels.append(f"{n:,} sessions")
        zk.append(None if "failure" in z else z.get("connect_seconds"))
        cc.append(None if not c_run or "failure" in c_run else c_run.get("connect_seconds"))
    bars(axes[0][4], labels, [("zkit", zk), ("c", cc)], "W3: connect all, server's default backlog", "s", "{:.2f}")

    w4 = res.get("w4", {})
    labels = ["set", "fire", "re-register\n(reconnect→sync)"]
    def w4_series(k):
        return [get(w4, "set", k, "seconds"), get(w4, "fire", k, "seconds"),
                (get(w4, "rewatch", k, "reconnect_to_sync_ms") or 0) / 1000 or None]
    title = f"W4: {count(w4.get('watches'))} data watches"
    if get(w4, "rewatch", "c", "skipped"):
        title += "\n(C client cannot re-register this many: one SetWatches frame over 1 MiB)"
    bars(axes[1][0], labels, [("zkit", w4_series("zkit")), ("c", w4_series("c"))], title, "s", "{:.3f}")

    w5 = res.get("w5", {})
    labels = ["lock hand-off\np50", "lock hand-off\np99", "leader failover\np50", "leader failover\np99"]
    def w5_series(k):
        v = [get(w5, k, "lock", "handoff", "p50_us"), get(w5, k, "lock", "handoff", "p99_us"),
             get(w5, k, "election", "failover", "p50_us"), get(w5, k, "election", "failover", "p99_us")]
        return [x / 1000 if x is not None else None for x in v]
    bars(axes[1][1], labels, [(k, w5_series(k)) for k in ("zkit", "curator", "kazoo")], "W5: recipes", "ms", "{:.1f}")

    w6 = res.get("w6", {})
    labels = ["all reconnected", "all re-watched"]
    def w6_series(k):
        return [get(w6, k, "all_reconnected_seconds"), get(w6, k, "all_rewatched_seconds")]
    n = {k: get(w6, k, "on_killed_member") for k in ("zkit", "c")}
    bars(axes[1][2], labels, [("zkit", w6_series("zkit")), ("c", w6_series("c"))],
         f"W6: herd after the member is killed\n(sessions moving: zkit {n['zkit']}, C {n['c']})", "s", "{:.2f}")

    ratios(axes[1][3], res.get("table", []))
    axes[1][4].axis("off")

    fig.suptitle(f"zkit {meta.get('zkit_version', '?')} beside a raw client, the ZooKeeper C client "
                 f"{meta.get('c_client_version', '?')}, Curator and kazoo "
                 f"({meta.get('mode', '?')} run, {meta.get('started', '?')}; {meta.get('cpus', '?')} CPUs, "
                 f"load {meta.get('load_average_start', '?')} → {meta.get('load_average_end', '?')})", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
