#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from its seed corpus (test/fuzz/meson.build).
#   run_fuzz.sh TARGET SEED_DIR SECONDS WORK_DIR [libFuzzer flags...]
# New inputs go to a scratch corpus in WORK_DIR (in the build dir), never into the source tree; a crash
# is written there too, and its path printed: copy it into SEED_DIR as crash-<what> and add
# the fix (docs/hardening.md#fuzzing).
set -euo pipefail
target="$1" seeds="$2" seconds="$3" work="$4"
shift 4
[[ -d "$seeds" ]] || { echo "run_fuzz: no seed corpus at $seeds" >&2; exit 2; }
mkdir -p "$work/corpus"
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
exec "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds"
