#!/usr/bin/env bash
# Builds the tiny consumer (consumer/) against zkit three ways and runs each build against a
# throwaway server: pkg-config and CMake against a `meson install --destdir` staging of this
# build, and meson with zkit as a subproject of the consumer (which must build only zkit's
# libraries: it fails if tools, tests or bench are configured). Fails loudly, never skips.
#
# usage: packaging_test.sh SOURCE_ROOT BUILD_DIR
set -euo pipefail
src="${1:?usage: packaging_test.sh SOURCE_ROOT BUILD_DIR}"
build="${2:?usage: packaging_test.sh SOURCE_ROOT BUILD_DIR}"
fail() { printf 'packaging_test: FAIL: %s\n' "$*" >&2; exit 1; }
for tool in meson ninja cmake pkg-config c++; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install meson cmake pkg-config g++)"
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
pass() { passed=$((passed + 1)); printf 'ok %d - %s\n' "$passed" "$*"; }

# --- the staging ----------------------------------------------------------------------------
stage="$work/stage"
meson install -C "$build" --no-rebuild --destdir "$stage" >"$work/install.log" 2>&1 ||
  fail "meson install: $(tail -20 "$work/install.log")"
prefix="$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c \
  'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')"
libdir="$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c \
  'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"))')"
root="$stage$prefix"
lib="$root/$libdir"
[[ -f "$lib/cmake/zkit/zkitConfig.cmake" ]] || fail "no zkitConfig.cmake under $lib/cmake/zkit"
soname="$(objdump -p "$lib/libzkit.so.0.1.0" | awk '/SONAME/ {print $2}')"
[[ "$soname" == "libzkit.so.0" ]] || fail "libzkit's soname is '$soname', not libzkit.so.0"
[[ -L "$lib/libzkit.so" && -L "$lib/libzkit.so.0" ]] || fail "libzkit.so links missing in $lib"
pass "meson install stages the libraries (soname libzkit.so.0), headers, pkg-config and CMake files"

# Installed programs find their libraries from wherever they are installed.
out="$(env -u LD_LIBRARY_PATH "$root/bin/zkit" --version)" || fail "installed zkit does not run: $out"
[[ "$out" == "zkit 0.1.0" ]] || fail "installed zkit --version printed [$out]"
loaded="$(env -u LD_LIBRARY_PATH ldd "$root/bin/zkit" | awk '$1 == "libzkit.so.0" {print $3}')"
[[ -n "$loaded" && "$(realpath "$loaded")" == "$(realpath "$lib/libzkit.so.0")" ]] ||
  fail "installed zkit does not load the staged libzkit: $(ldd "$root/bin/zkit")"
pass "the installed zkit runs and loads the installed libzkit (RPATH \$ORIGIN/../$libdir)"

run_consumer() {
  local how="$1" exe="$2"
  local out
  out="$(LD_LIBRARY_PATH="$lib" "$exe" 2>&1)" || fail "$how consumer failed: $out"
  [[ "$out" == "consumer ok from an installed zkit" ]] || fail "$how consumer printed [$out]"
  pass "$how: the consumer builds and runs against a throwaway server"
}

# --- pkg-config -----------------------------------------------------------------------------
export PKG_CONFIG_PATH="$lib/pkgconfig"
flags="$(pkg-config --define-variable=prefix="$root" --cflags --libs zkit_testing zkit_recipes zkit)" ||
  fail "pkg-config does not know zkit, zkit_recipes and zkit_testing"
# shellcheck disable=SC2086
c++ -std=c++20 -o "$work/consumer-pc" "$src/test/packaging/consumer/consumer.cpp" $flags \
  >"$work/pc.log" 2>&1 || fail "pkg-config build: $(cat "$work/pc.log")"
run_consumer "pkg-config" "$work/consumer-pc"

# --- CMake ----------------------------------------------------------------------------------
cmake -S "$src/test/packaging/consumer" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$root" \
  >"$work/cmake.log" 2>&1 || fail "cmake configure: $(tail -30 "$work/cmake.log")"
cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || fail "cmake build: $(tail -30 "$work/cmake.log")"
run_consumer "CMake find_package(zkit)" "$work/cmake/consumer"

# --- meson subproject -----------------------------------------------------------------------
# Kept in the build directory, so a second run rebuilds only what changed.
parent="$build/packaging-parent"
mkdir -p "$parent/subprojects"
cp "$src/test/packaging/consumer/meson.build" "$src/test/packaging/consumer/consumer.cpp" "$parent/"
ln -sfn "$(cd "$src" && pwd)" "$parent/subprojects/zkit"
unset PKG_CONFIG_PATH
setup=(meson setup build)
[[ -d "$parent/build/meson-info" ]] && setup=(meson setup --reconfigure build)
(cd "$parent" && "${setup[@]}" >"$work/sub.log" 2>&1) || fail "meson setup with zkit as a subproject: $(tail -30 "$work/sub.log")"
grep -Eq 'tests +: NO|tests +: False' "$work/sub.log" && grep -Eq 'tools +: NO|tools +: False' "$work/sub.log" ||
  fail "zkit as a subproject configured more than its libraries: $(grep -A6 'zkit' "$work/sub.log" | tail -8)"
if grep -q -- '-Werror' "$parent/build/build.ninja"; then fail "zkit as a subproject compiles with -Werror"; fi
nice -n 10 ninja -C "$parent/build" consumer >"$work/sub-build.log" 2>&1 || fail "subproject build: $(tail -30 "$work/sub-build.log")"
run_consumer "meson subproject" "$parent/build/consumer"

echo "packaging: $passed passed, 0 failed"
