#!/bin/sh
# Regenerates every figure of docs/benchmarks.md from one release build: the full benchmark's
# JSON, its PNG, callgrind's per-operation counts, and the page's generated tables.
#
#   bench/regenerate.sh build-bench          (the build directory; run from the project root)
#
# About 5 minutes on 2 cores. Needs valgrind and python3-matplotlib.
set -eu
build=${1:?usage: bench/regenerate.sh BUILD_DIR}
ninja -C "$build" bench/zkit-bench
"$build/bench/zkit-bench" --json bench/results.json
bench/callgrind.py "$build/bench/zkit-bench" --n 20000 --json bench/callgrind.json
bench/plot.py bench/results.json bench/results.png
bench/doc_tables.py bench/results.json bench/callgrind.json docs/benchmarks.md
