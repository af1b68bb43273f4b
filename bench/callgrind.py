#!/usr/bin/env python3
"""Instructions and heap allocations per W1 get, for zkit, the C client and the raw client, from
callgrind.

Runs `zkit-bench --only w1-get --client CLIENT --n N` under `valgrind --tool=callgrind` for each
client. The benchmark zeroes the counts right before its get phase and dumps them right after
(CALLGRIND_ZERO_STATS / CALLGRIND_DUMP_STATS_AT("w1-get")), so the dump holds exactly N gets:
every thread of the process (the C client's I/O and completion threads included), user space
only (the kernel's share of each syscall is not counted).

    bench/callgrind.py build-bench/bench/zkit-bench [--n 20000] [--keep DIR] [--json FILE]

Prints, per client: instructions (Ir) per get, malloc calls per get, and the functions with the
most instructions of their own. Needs Debian's package valgrind.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ALLOCATORS = {"malloc", "calloc", "realloc"}


# zkit's metrics read the clock through this (twice per request); the benchmark's own uv_hrtime
# (bench/clock_reads.cpp, which counts the reads) calls libuv's, of the same name.
CLOCK = "uv_hrtime"


def parse_dump(path):
    """Total Ir, calls per callee name, self Ir per function, and the number and inclusive Ir of
    the calls to CLOCK from anything but CLOCK itself, of one callgrind dump.

    The total is the sum of the cost lines (the dump's `totals:`), not its `summary:` line: in a
    multi-threaded process CALLGRIND_ZERO_STATS zeroes every thread's cost lines but `summary:`
    (which callgrind_annotate prints as PROGRAM TOTALS) keeps counting the other threads from the
    start, so for the C client it would about double the figure.
    """
    names = {}
    calls = {}
    self_ir = {}
    fn = None
    cfn = None
    after_calls = False
    clock_calls = clock_ir = 0
    name_re = re.compile(r"^(c?fn)=\((\d+)\)(?: (.*))?$")
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = name_re.match(line)
            if m:
                kind, ident, name = m.groups()
                if name is not None:
                    names[ident] = name
                if kind == "fn":
                    fn = names.get(ident, ident)
                else:
                    cfn = names.get(ident, ident)
                after_calls = False
                continue
            if line.startswith("calls="):
                count = int(line.split("=", 1)[1].split()[0])
                calls[cfn] = calls.get(cfn, 0) + count
                if cfn == CLOCK and fn != CLOCK:
                    clock_calls += count
                after_calls = True  # the next cost line is the call's inclusive cost
                continue
            if line.startswith("totals:") or line.startswith("summary:"):
                continue
            if line and (line[0].isdigit() or line[0] in "+-*"):
                parts = line.split()
                if len(parts) >= 2 and not after_calls:
                    self_ir[fn] = self_ir.get(fn, 0) + int(parts[1])
                elif len(parts) >= 2 and cfn == CLOCK and fn != CLOCK:
                    clock_ir += int(parts[1])
                after_calls = False
    return sum(self_ir.values()), calls, self_ir, (clock_calls, clock_ir)


def run(bench, client, n, out_dir):
    prefix = os.path.join(out_dir, f"cg-{client}")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={prefix}.%p",
           bench, "--only", "w1-get", "--client", client, "--n", str(n)]
    print("+", " ".join(cmd), file=sys.stderr)
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=3600)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"callgrind run for {client} failed ({done.returncode})")
    print(done.stdout.strip(), file=sys.stderr)
    dumps = [p for p in glob.glob(prefix + ".*")
             if "Client Request: w1-get" in open(p, encoding="utf-8", errors="replace").read(4096)]
    if len(dumps) != 1:
        raise SystemExit(f"expected one w1-get dump for {client}, found {dumps}")
    total, calls, self_ir, (clock_calls, clock_ir) = parse_dump(dumps[0])
    allocs = sum(c for name, c in calls.items() if name in ALLOCATORS)
    top = sorted(self_ir.items(), key=lambda kv: -kv[1])[:15]
    return {
        "client": client,
        "gets": n,
        "dump": dumps[0],
        "ir_total": total,
        "ir_per_get": total / n,
        "mallocs_per_get": allocs / n,
        "clock_calls_per_get": clock_calls / n,
        "clock_ir_per_get": clock_ir / n,
        "top_self": [{"function": f, "ir_per_get": ir / n} for f, ir in top],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", help="path to zkit-bench")
    ap.add_argument("--n", type=int, default=20000, help="gets to count (default 20000)")
    ap.add_argument("--keep", help="keep the callgrind dumps in this directory")
    ap.add_argument("--json", help="write the figures as JSON here")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is missing: apt-get install valgrind")
    out_dir = args.keep or tempfile.mkdtemp(prefix="zkit-callgrind-")
    os.makedirs(out_dir, exist_ok=True)
    try:
        results = [run(args.bench, c, args.n, out_dir) for c in ("zkit", "c", "raw")]
    finally:
        if not args.keep:
            shutil.rmtree(out_dir, ignore_errors=True)
    z, c, raw = results
    print(f"W1 get, {args.n} gets, callgrind (user-space instructions of every thread):")
    print(f"  {'':6} {'Ir/get':>10} {'malloc/get':>11}")
    for r in results:
        print(f"  {r['client']:6} {r['ir_per_get']:10.0f} {r['mallocs_per_get']:11.2f}")
    print(f"  zkit/C {z['ir_per_get'] / c['ir_per_get']:10.2f}")
    print(f"  zkit/raw {z['ir_per_get'] / raw['ir_per_get']:8.2f}")
    print(f"  zkit's metrics clock reads: {z['clock_ir_per_get']:.0f} Ir per get "
          f"({z['clock_ir_per_get'] / z['ir_per_get']:.1%} of zkit's)")
    for r in results:
        print(f"\n  {r['client']}: most instructions of their own, per get")
        for t in r["top_self"]:
            print(f"    {t['ir_per_get']:8.0f}  {t['function'][:110]}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"w1_get": results}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
