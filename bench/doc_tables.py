#!/usr/bin/env python3
"""Writes zkit-bench's results table and callgrind's per-operation counts into docs/benchmarks.md.

    bench/doc_tables.py bench/results.json bench/callgrind.json docs/benchmarks.md

Replaces what sits between the page's `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`
markers (NAME: results, callgrind) and leaves the rest of the page alone. Either JSON file may be
missing (`-`): its section is then left as it is.
"""
import json
import sys


def fmt(v, decimals):
    if not isinstance(v, (int, float)):
        return "-"
    return f"{v:,.{decimals}f}"


def results_section(res):
    meta = res.get("meta", {})
    out = [
        f"Run: {meta.get('mode', '?')} mode, {meta.get('started', '?')} to {meta.get('finished', '?')}; "
        f"{meta.get('cpus', '?')} CPUs, load average {meta.get('load_average_start', '?')} at the start and "
        f"{meta.get('load_average_end', '?')} at the end; zkit {meta.get('zkit_version', '?')}, "
        f"C client {meta.get('c_client_version', '?')}.",
        "",
        "| workload | metric | zkit | C client | zkit/C | target | verdict | note |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    for r in res.get("table", []):
        d = r.get("decimals", 1)
        out.append(f"| {r['workload']} | {r['metric']} | {fmt(r.get('zkit'), d)} | {fmt(r.get('c'), d)} | "
                   f"{fmt(r.get('ratio'), 2)} | {r.get('target', '')} | {r.get('verdict', '')} | {r.get('note', '')} |")
    if res.get("failures"):
        out += ["", "Failures in this run:", ""] + [f"- {f}" for f in res["failures"]]
    return out


def callgrind_section(cg):
    rows = {r["client"]: r for r in cg["w1_get"]}
    z, c = rows["zkit"], rows["c"]
    out = [
        f"W1 get, {z['gets']:,} gets (`bench/callgrind.py`):",
        "",
        "| client | Ir per get | malloc calls per get |",
        "|---|---:|---:|",
        f"| zkit | {z['ir_per_get']:,.0f} | {z['mallocs_per_get']:.2f} |",
        f"| C client | {c['ir_per_get']:,.0f} | {c['mallocs_per_get']:.2f} |",
        f"| zkit / C | {z['ir_per_get'] / c['ir_per_get']:.2f} | {z['mallocs_per_get'] / c['mallocs_per_get']:.2f} |",
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
    if len(sys.argv) != 4:
        raise SystemExit(__doc__.split("\n\n")[1])
    results, callgrind, doc = sys.argv[1:]
    with open(doc, encoding="utf-8") as f:
        page = f.read()
    if results != "-":
        with open(results, encoding="utf-8") as f:
            page = replace(page, "results", results_section(json.load(f)))
    if callgrind != "-":
        with open(callgrind, encoding="utf-8") as f:
            page = replace(page, "callgrind", callgrind_section(json.load(f)))
    with open(doc, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
