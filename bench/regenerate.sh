#!/bin/sh
# Regenerates every figure of docs/benchmarks.md from one release build: the full benchmark's
# JSON, its PNG, callgrind's per-operation counts, and the page's generated sections (the
# targets with their verdicts, the results table, the callgrind table, this script's duration).
#
#   bench/regenerate.sh build-bench          (the build directory; run from the project root)
#
# Run it on a quiet machine. Needs what scripts/setup.sh installs (valgrind, python3-matplotlib,
# Curator's jars, python3-kazoo among them).
set -eu
build=${1:?usage: bench/regenerate.sh BUILD_DIR}
start=$(date +%s)
ninja -C "$build" bench/zkit-bench
# A failed phase still writes its JSON (and the page says so): go on to the report, then fail.
status=0
"$build/bench/zkit-bench" --json bench/results.json || status=$?
bench/callgrind.py "$build/bench/zkit-bench" --n 20000 --json bench/callgrind.json
bench/plot.py bench/results.json bench/results.png
bench/doc_tables.py --duration $(( $(date +%s) - start )) bench/results.json bench/callgrind.json docs/benchmarks.md
exit $status
