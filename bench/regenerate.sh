#!/bin/sh
# Regenerates every figure of docs/benchmarks.md from one release build: the full benchmark's
# JSON, its PNG, callgrind's per-operation counts, and the page's generated sections (the
# targets with their verdicts, the bindings' targets, the results table, the callgrind table,
# this script's duration).
#
#   bench/regenerate.sh build-bench          (the build directory; run from the project root)
#   bench/regenerate.sh --quick build-bench  (the same at --quick sizes, written to a fresh
#                                             temporary directory, never into the tree)
#
# Run it on a quiet machine. Needs what scripts/setup.sh installs (valgrind, python3-matplotlib,
# Curator's jars, python3-kazoo, bindings/node's npm packages among them).
set -eu
quick=
if [ "${1:-}" = "--quick" ]; then
  quick=--quick
  shift
fi
build=${1:?usage: bench/regenerate.sh [--quick] BUILD_DIR}
start=$(date +%s)
# The default target: zkit-bench and the Python and Node modules its bindings workload loads.
ninja -C "$build"
if [ -n "$quick" ]; then
  out=$(mktemp -d /tmp/zkit-regenerate-quick-XXXXXX)
  page=$out/benchmarks.md
  cp docs/benchmarks.md "$page"
  n=2000
else
  out=bench
  page=docs/benchmarks.md
  n=20000
fi
# A failed phase still writes its JSON (and the page says so): go on to the report, then fail.
status=0
"$build/bench/zkit-bench" $quick --json "$out/results.json" || status=$?
bench/callgrind.py "$build/bench/zkit-bench" --n "$n" --json "$out/callgrind.json"
bench/plot.py "$out/results.json" "$out/results.png"
bench/doc_tables.py --duration $(( $(date +%s) - start )) "$out/results.json" "$out/callgrind.json" "$page"
[ -z "$quick" ] || echo "bench/regenerate.sh --quick: the figures and a copy of the page are in $out"
exit $status
