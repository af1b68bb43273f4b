#!/usr/bin/env python3
"""Writes zkit-bench's results table and callgrind's per-operation counts into docs/benchmarks.md.

    bench/doc_tables.py [--duration SECONDS] bench/results.json bench/callgrind.json docs/benchmarks.md

Replaces what sits between the page's `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`
markers (NAME: targets, bindings, results, callgrind; duration with --duration, what bench/regenerate.sh
took) and leaves the rest of the page alone. Either JSON file may be
missing (`-`): its section is then left as it is.
"""
import json
import sys


NAMES = {"raw": "raw", "c": "C", "curator": "Curator", "kazoo": "kazoo", "nzc": "node-zookeeper-client", "": "zkit"}

# Issue 10's targets, each over the table rows it covers: (text, row selector, size check). A
# target is missed when a figure it covers is out of bounds, n/a when one is missing (a failed
# phase) or the run was smaller than the target's size, and met otherwise.
TARGETS = [
    ("W3: 1,000 sessions connect no slower than the C client (server's default backlog)",
     lambda r: r["workload"].startswith("W3 1,000 ") and r["metric"] == "connect all, s", None),
    ("W3: 10,000 sessions connect in under 3 s",
     lambda r: r["workload"].startswith("W3 10,000 ") and r["metric"] == "connect all, s", None),
    ("W3: no attempt waits out a full read timeout (every session connected within half the read "
     "timeout, 13.3 s at the 40 s session timeout)",
     lambda r: r["workload"].startswith("W3 ") and r["metric"] == "slowest session, s", None),
    ("Herd: 10,000 sessions, 0 expired, all watches firing afterwards, every session back (and "
     "re-watched) within 5 s of the member's death",
     lambda r: r["workload"].startswith("W6 ") and r["metric"] in
     ("all back and re-watched, s", "sessions expired", "watches not firing after"),
     lambda res: (res.get("w6", {}).get("zkit", {}).get("sessions", 0) >= 10000,
                  "the run had %s zkit sessions" % res.get("w6", {}).get("zkit", {}).get("sessions", "no"))),
    ("W1: client CPU per operation at most 1.25x the raw client's, every phase",
     lambda r: r["workload"].startswith("W1 ") and r["metric"] == "client CPU us/op", None),
    ("W1: throughput at least 0.95x the raw client's and 1.15x the C client's, every phase",
     lambda r: r["workload"].startswith("W1 ") and r["metric"] == "ops/s", None),
    ("W2: p50 and p99 at most 1.05x the raw client's",
     lambda r: r["workload"].startswith("W2 ") and r["metric"] in ("p50 us", "p99 us"), None),
    ("W5: lock hand-off p50 and p99 at most 0.8x Curator's and kazoo's",
     lambda r: r["workload"].startswith("W5 lock") and r["metric"] in ("p50 us", "p99 us"), None),
    ("W5: leader failover no slower than Curator's (p50)",
     lambda r: r["workload"].startswith("W5 leader") and r["metric"] == "p50 us", None),
]



def full_run(res):
    """Issue 14's ratios are read from full runs only: a quick run's sizes are a smoke test."""
    mode = res.get("meta", {}).get("mode", "?")
    return mode == "full", "a %s run" % mode


def binding_targets(language, zkit, peer, throughput, cpu, p50):
    """Issue 14's three targets for one binding beside its language's most used client."""
    def rows(kind, metric):
        return lambda r: r["workload"].startswith(f"{language} {kind} ") and r["metric"] == metric
    return [
        (f"{language}: {zkit} at least {throughput:g}x {peer}'s throughput, every W1 phase", rows("W1", "ops/s"), full_run),
        (f"{language}: at most {cpu:g}x {peer}'s client CPU per operation, every W1 phase",
         rows("W1", "client CPU us/op"), full_run),
        (f"{language}: W2 p50 at most {p50:g}x {peer}'s", rows("W2", "p50 us"), full_run),
    ]


# Issue 14's targets for the bindings, in the same form: each binding beside its language's
# most used client, same server, same run.
BINDING_TARGETS = (binding_targets("Python", "zkit's binding (`zkit.kazoo`)", "kazoo", 1.8, 0.25, 0.8)
                   + binding_targets("Node", "zkit's binding", "node-zookeeper-client", 1.2, 0.5, 0.8))


def fmt(v, decimals):
    if not isinstance(v, (int, float)):
        return "-"
    return f"{v:,.{decimals}f}"


def check_holds(row, check):
    """True, False, or None when the figure is missing: recomputed from the row's figures."""
    if check["against"]:
        b = next((b for b in row["beside"] if b["client"] == check["against"]), None)
        v = b["ratio"] if b else None
    else:
        v = row["zkit"]
    if not isinstance(v, (int, float)):
        return None
    return v <= check["bound"] if check["op"] == "<=" else v >= check["bound"]


def figure(row, check):
    d = row.get("decimals", 1)
    if check["against"]:
        b = next((b for b in row["beside"] if b["client"] == check["against"]), {})
        ratio = b.get("ratio")
        return (f"{fmt(row['zkit'], d)} vs {NAMES[check['against']]} {fmt(b.get('value'), d)}: "
                f"{fmt(ratio, 2)} ({check['op']} {check['bound']:g})")
    return f"{fmt(row['zkit'], d)} ({check['op']} {check['bound']:g})"


def beside_text(row):
    d = row.get("decimals", 1)
    parts = []
    for b in row.get("beside", []):
        part = f"{NAMES[b['client']]} {fmt(b.get('value'), d)}"
        if isinstance(b.get("ratio"), (int, float)):
            part += f" ({b['ratio']:.2f})"
        parts.append(part)
    return "; ".join(parts)


def targets_section(res, targets=TARGETS):
    rows = res.get("table", [])
    out = ["| target | figures (zkit vs them: zkit / them, bound) | verdict |", "|---|---|---|"]
    for text, select, size in targets:
        covered = [r for r in rows if select(r) and r.get("checks")]
        holds, figures = [], []
        for r in covered:
            for c in r["checks"]:
                holds.append(check_holds(r, c))
                figures.append(f"{r['workload']}, {r['metric']}: {figure(r, c)}")
        # A figure measured and out of bounds decides, even when another is missing.
        if False in holds:
            verdict = "**MISSED**"
        elif not covered or None in holds:
            verdict = "n/a (not measured)"
        else:
            verdict = "met"
        if size and covered:
            big_enough, why = size(res)
            if not big_enough:
                verdict = f"n/a ({why})" if verdict == "met" else verdict + f" ({why})"
        out.append(f"| {text} | {'<br>'.join(figures) or '-'} | {verdict} |")
    return out


def bindings_section(res):
    """Issue 14's targets with their verdicts, then what zkit's metrics' clock reads cost in W1."""
    out = [f"Run: {res.get('meta', {}).get('mode', '?')} mode, {res.get('meta', {}).get('started', '?')}; "
           f"{res.get('bindings', {}).get('nodes', 0):,} nodes, {res.get('bindings', {}).get('window', 0):,} "
           f"outstanding, {res.get('bindings', {}).get('gets', 0):,} W2 gets per client.", ""]
    out += targets_section(res, BINDING_TARGETS)
    rows = {(r["workload"], r["metric"]): r for r in res.get("table", [])}
    clock = [(w, r) for (w, m), r in rows.items() if w.startswith("W1 ") and m == "metrics clock reads/op"]
    if clock:
        out += ["", "zkit's metrics read the clock (`uv_hrtime`) when a request is queued and when its reply "
                "arrives; their cost per operation, from the count of reads and the price of one "
                "(`bench/clock_reads.cpp`):", "",
                "| W1 phase | clock reads/op | % of zkit's client CPU per op | note |", "|---|---:|---:|---|"]
        for w, r in clock:
            share = rows.get((w, "metrics clock, % of client CPU"), {})
            out.append(f"| {w} | {fmt(r.get('zkit'), 2)} | {fmt(share.get('zkit'), 1)} | {share.get('note', '')} |")
    return out


def results_section(res):
    meta = res.get("meta", {})
    out = [
        f"Run: {meta.get('mode', '?')} mode, {meta.get('started', '?')} to {meta.get('finished', '?')}; "
        f"{meta.get('cpus', '?')} CPUs, load average {meta.get('load_average_start', '?')} at the start and "
        f"{meta.get('load_average_end', '?')} at the end; zkit {meta.get('zkit_version', '?')}, "
        f"C client {meta.get('c_client_version', '?')}.",
        "",
        "| workload | metric | zkit | beside (zkit / them) | target | verdict | note |",
        "|---|---|---:|---|---|---|---|",
    ]
    for r in res.get("table", []):
        d = r.get("decimals", 1)
        out.append(f"| {r['workload']} | {r['metric']} | {fmt(r.get('zkit'), d)} | {beside_text(r)} | "
                   f"{r.get('target', '')} | {r.get('verdict', '')} | {r.get('note', '')} |")
    if res.get("failures"):
        out += ["", "Failures in this run:", ""] + [f"- {f}" for f in res["failures"]]
    return out


def callgrind_section(cg):
    rows = {r["client"]: r for r in cg["w1_get"]}
    z, c, raw = rows["zkit"], rows["c"], rows.get("raw")
    out = [
        f"W1 get, {z['gets']:,} gets (`bench/callgrind.py`):",
        "",
        "| client | Ir per get | malloc calls per get |",
        "|---|---:|---:|",
        f"| zkit | {z['ir_per_get']:,.0f} | {z['mallocs_per_get']:.2f} |",
        f"| C client | {c['ir_per_get']:,.0f} | {c['mallocs_per_get']:.2f} |",
        f"| zkit / C | {z['ir_per_get'] / c['ir_per_get']:.2f} | {z['mallocs_per_get'] / c['mallocs_per_get']:.2f} |",
    ]
    if raw:
        out += [
            f"| raw client | {raw['ir_per_get']:,.0f} | {raw['mallocs_per_get']:.2f} |",
            f"| zkit / raw | {z['ir_per_get'] / raw['ir_per_get']:.2f} | - |",
        ]
    if "clock_ir_per_get" in z:
        out += [
            "",
            f"zkit's metrics clock reads (`uv_hrtime`, {z['clock_calls_per_get']:.2f} calls per get, counted "
            f"by `bench/clock_reads.cpp`'s wrapper, whose own few instructions are included): "
            f"{z['clock_ir_per_get']:,.0f} Ir per get, {z['clock_ir_per_get'] / z['ir_per_get']:.1%} of zkit's "
            "(user space only: a clock read that enters the kernel costs more than callgrind sees).",
        ]
    out += [
        "",
        "zkit's functions with the most instructions of their own, per get:",
        "",
        "| Ir per get | function |",
        "|---:|---|",
    ]
    for t in z["top_self"][:10]:
        name = t["function"].replace("|", "\\|")
        if len(name) > 100:
            name = name[:100] + "..."
        out.append(f"| {t['ir_per_get']:,.0f} | `{name}` |")
    return out


def replace(page, name, lines):
    begin, end = f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"
    a, b = page.find(begin), page.find(end)
    if a < 0 or b < a:
        raise SystemExit(f"the page has no {begin} ... {end} section")
    return page[: a + len(begin)] + "\n" + "\n".join(lines) + "\n" + page[b:]


def main():
    args = sys.argv[1:]
    duration = None
    if args[:1] == ["--duration"] and len(args) > 1:
        duration = int(args[1])
        args = args[2:]
    if len(args) != 3:
        raise SystemExit(__doc__.split("\n\n")[1])
    results, callgrind, doc = args
    with open(doc, encoding="utf-8") as f:
        page = f.read()
    if results != "-":
        with open(results, encoding="utf-8") as f:
            res = json.load(f)
        page = replace(page, "targets", targets_section(res))
        page = replace(page, "results", results_section(res))
        if "bindings" in res:
            page = replace(page, "bindings", bindings_section(res))
    if callgrind != "-":
        with open(callgrind, encoding="utf-8") as f:
            page = replace(page, "callgrind", callgrind_section(json.load(f)))
    if duration is not None:
        started = "?"
        if results != "-":
            started = res.get("meta", {}).get("started", "?")
        page = replace(page, "duration", [
            f"`bench/regenerate.sh` took {duration // 60} min {duration % 60} s end to end for the run of {started} "
            "(build up to date, benchmark, callgrind, plot, tables)."])
    with open(doc, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
