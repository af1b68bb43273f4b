#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (extra arguments go to
# `meson test`, e.g. `./scripts/test.sh --suite cli`), then runs it again under AddressSanitizer
# and UndefinedBehaviorSanitizer (build-asan: GCC, as users compile; every suite but the Python
# and Node modules, since an ASan library cannot load into Debian's python3 or into node, and
# packaging and docs, which build programs of their own against the libraries) and, with no extra arguments, the
# tree built with clang-14 (build-clang: everything but the benchmark and the modules; the
# libFuzzer targets and a set of suites run). Each sanitizer finding is fatal.
# The exit status fails if any run failed; the output ends with meson's summary of the
# sanitized run. ZKIT_SANITIZE=0 runs the plain suite only. Each step's line shows the time
# since the start, so a slow CI run says where its minutes went.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"

started=$SECONDS
say() { printf '==> [%02d:%02d] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }
status=0

# The trees built only here (clang, the sanitizers) are unity builds: a fresh build takes far
# less CPU (docs/hardening.md). A developer's incremental `build` stays unity off.
unity=(-Dunity=on)

# Configures build dir $1 with the options after it, once (ninja re-runs meson when needed).
configure() {
  local dir="$repo/$1" log
  shift
  [[ -f "$dir/build.ninja" ]] && return 0
  log="$(mktemp)"
  say "meson: configuring $dir ($*)"
  (cd "$repo" && meson setup "$dir" "$@") >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}

say "meson test -C build --print-errorlogs $*"
meson test -C "$repo/build" --print-errorlogs "$@" || status=$?

if [[ "${ZKIT_SANITIZE:-1}" != 0 ]]; then
  # Halt at the first finding, with a stack; leaks count as findings.
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:print_summary=1:${ASAN_OPTIONS:-}"
  export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1:${UBSAN_OPTIONS:-}"
  # Leaks inside third-party libraries that zkit cannot free (each one explained in the file).
  export LSAN_OPTIONS="suppressions=$repo/scripts/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"

  if (($# == 0)); then
    # The whole tree with clang-14, as users may compile it (issue 12), its libFuzzer targets
    # (suite fuzz) and the suites over the most code; the whole suite passes with clang too
    # (docs/hardening.md), but running all of it twice more would cost CI its time budget.
    configure build-clang "${unity[@]}" --native-file "$repo/scripts/clang.ini" -Dbench=disabled \
      -Dpython=false -Dnode=false -Doptimization=1 -Dcpp_args=-g1 -Dc_args=-g1
    say "building build-clang (clang-14) and running its suites"
    ninja -C "$repo/build-clang"
    meson test -C "$repo/build-clang" --no-rebuild --print-errorlogs --suite fuzz --suite unit \
      --suite forms --suite c --suite recipes --suite integration --suite conformance || status=$?
  fi

  if (($# == 0)); then
    # The code with threads of its own under ThreadSanitizer (build-tsan: GCC; only what suite
    # tsan runs is built, lightly optimised; test/tsan/meson.build says what runs and why).
    configure build-tsan "${unity[@]}" -Dsanitizers=thread -Dbench=disabled -Dpython=false -Dnode=false \
      -Doptimization=1 -Dcpp_args=-g1 -Dc_args=-g1
    say "building and running suite tsan in build-tsan (ThreadSanitizer)"
    ninja -C "$repo/build-tsan" test/unit/unit_tests test/testing/testing_tests \
      test/integration/integration_tests test/liveness/liveness_tests test/recipes/recipes_tests \
      bindings/c/test/c_api_test bindings/c/test/with_cluster
    meson test -C "$repo/build-tsan" --no-rebuild --print-errorlogs --timeout-multiplier 3 --suite tsan || status=$?
  fi

  # -O1 with line tables only (-g1): a third of the compile time of -O2 -g under the
  # sanitizers, and the reports still name file and line.
  configure build-asan "${unity[@]}" -Dsanitizers=address,undefined -Dbench=disabled -Dpython=false -Dnode=false \
    -Doptimization=1 -Dcpp_args=-g1 -Dc_args=-g1
  say "building build-asan (AddressSanitizer + UndefinedBehaviorSanitizer)"
  ninja -C "$repo/build-asan"
  # Sanitized code runs a few times slower: the same deadlines, stretched.
  say "meson test -C build-asan --print-errorlogs --timeout-multiplier 3 (sanitized)"
  sanitized=(--no-suite packaging --no-suite docs)
  (($# > 0)) && sanitized=("$@")
  meson test -C "$repo/build-asan" --no-rebuild --print-errorlogs --timeout-multiplier 3 "${sanitized[@]}" || status=$?
fi
exit "$status"
