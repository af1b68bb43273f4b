#!/usr/bin/python3
"""Draws zkit-bench's JSON results as one PNG: zkit beside the C client for each workload.

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

ZKIT, C = "#2a7ab0", "#c8553d"


def get(obj, *keys):
    for k in keys:
        if not isinstance(obj, dict) or k not in obj:
            return None
        obj = obj[k]
    if isinstance(obj, dict) and "failure" in obj:
        return None
    return obj


def bars(ax, labels, zkit, c, title, ylabel, fmt="{:.0f}", log=False):
    """Grouped bars, zkit left and C right of each label; missing values are left out."""
    width = 0.38
    xs = range(len(labels))
    for offset, values, color, name in ((-width / 2, zkit, ZKIT, "zkit"), (width / 2, c, C, "C client")):
        pos = [x + offset for x, v in zip(xs, values) if v is not None]
        vals = [v for v in values if v is not None]
        drawn = ax.bar(pos, vals, width, color=color, label=name)
        for rect, v in zip(drawn, vals):
            ax.annotate(fmt.format(v), (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                        ha="center", va="bottom", fontsize=7)
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
    """zkit / C for every figure that has a target, with the target as a tick."""
    rows = [r for r in rows if r.get("target", "").endswith("x") and r.get("ratio") is not None]
    labels = [f"{r['workload']}: {r['metric']}" for r in rows]
    values = [r["ratio"] for r in rows]
    colors = ["#3a9a4a" if r["verdict"] == "met" else "#d04040" for r in rows]
    ys = range(len(rows))
    ax.barh(list(ys), values, color=colors)
    for y, r in zip(ys, rows):
        bound = float(r["target"].split()[1].rstrip("x"))
        ax.plot([bound, bound], [y - 0.4, y + 0.4], color="black", linewidth=1.5)
        ax.annotate(f"{r['ratio']:.2f}", (r["ratio"], y), xytext=(3, -3), textcoords="offset points", fontsize=7)
    ax.set_yticks(list(ys))
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    ax.axvline(1.0, color="grey", linewidth=0.8, linestyle=":")
    ax.set_title("zkit / C client (green: target met; black tick: target)", fontsize=10)
    ax.tick_params(axis="x", labelsize=7)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        res = json.load(f)
    fig, axes = plt.subplots(2, 4, figsize=(22, 9.5))
    meta = res.get("meta", {})

    phases = ["create", "get", "set", "delete"]
    w1 = res.get("w1", {}).get("phases", {})
    bars(axes[0][0], phases, [get(w1, p, "zkit", "ops_per_sec") for p in phases],
         [get(w1, p, "c", "ops_per_sec") for p in phases],
         f"W1 pipelined, {res.get('w1', {}).get('nodes', '?'):,} nodes: throughput", "ops/s")
    bars(axes[0][1], phases, [get(w1, p, "zkit", "cpu_us_per_op") for p in phases],
         [get(w1, p, "c", "cpu_us_per_op") for p in phases],
         "W1: client CPU per operation", "µs/op", "{:.1f}")

    w2 = res.get("w2", {})
    pcts = [("p50", "p50_us"), ("p90", "p90_us"), ("p99", "p99_us"), ("p99.9", "p999_us")]
    bars(axes[0][2], [p for p, _ in pcts], [get(w2, "zkit", k) for _, k in pcts], [get(w2, "c", k) for _, k in pcts],
         f"W2: {w2.get('gets', '?'):,} sequential gets, latency", "µs (log scale)", log=True)

    w3 = res.get("w3", {})
    labels, zk, cc = [], [], []
    c_runs = {r.get("sessions"): r for r in w3.get("c", [])}
    for z in w3.get("zkit", []):
        n = z.get("sessions")
        c_run = c_runs.get(n)
        labels.append(f"{n:,} sessions\nthreads: {z.get('threads', '?')} / {c_run.get('threads', '?') if c_run else '-'}")
        zk.append(None if "failure" in z else z.get("rss_kib_per_session"))
        cc.append(None if not c_run or "failure" in c_run else c_run.get("rss_kib_per_session"))
    bars(axes[1][0], labels, zk, cc, "W3: RSS per session (threads: zkit / C)", "KiB/session", "{:.1f}")

    w4 = res.get("w4", {})
    labels = ["set", "fire", "re-register\n(reconnect→sync)"]
    zk = [get(w4, "set", "zkit", "seconds"), get(w4, "fire", "zkit", "seconds"),
          (get(w4, "rewatch", "zkit", "reconnect_to_sync_ms") or 0) / 1000 or None]
    cc = [get(w4, "set", "c", "seconds"), get(w4, "fire", "c", "seconds"),
          (get(w4, "rewatch", "c", "reconnect_to_sync_ms") or 0) / 1000 or None]
    title = f"W4: {w4.get('watches', '?'):,} data watches"
    if get(w4, "rewatch", "c", "skipped"):
        title += "\n(C client cannot re-register this many: one SetWatches frame over 1 MiB)"
    bars(axes[1][1], labels, zk, cc, title, "s", "{:.3f}")

    ratios(axes[1][2], res.get("table", []))

    w5 = res.get("w5", {})
    labels = ["lock hand-off\np50", "lock hand-off\np99", "leader failover\np50", "leader failover\np99"]
    zk = [get(w5, "lock", "handoff", "p50_us"), get(w5, "lock", "handoff", "p99_us"),
          get(w5, "election", "failover", "p50_us"), get(w5, "election", "failover", "p99_us")]
    zk = [v / 1000 if v is not None else None for v in zk]
    bars(axes[0][3], labels, zk, [None] * 4, "W5: recipes (zkit only: the C client has none)", "ms", "{:.1f}")
    axes[1][3].axis("off")

    fig.suptitle(f"zkit {meta.get('zkit_version', '?')} vs the ZooKeeper C client {meta.get('c_client_version', '?')} "
                 f"({meta.get('mode', '?')} run, {meta.get('started', '?')}; {meta.get('cpus', '?')} CPUs, "
                 f"load {meta.get('load_average_start', '?')} → {meta.get('load_average_end', '?')})", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
