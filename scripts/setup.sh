#!/usr/bin/env bash
# Installs what zkit needs on Debian 12 (only what is missing) and builds it into ./build.
# Run as root from anywhere; running it again only rebuilds what changed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$repo/build"

packages=(libuv1-dev nlohmann-json3-dev libssl-dev doctest-dev meson ninja-build pkg-config g++
          zookeeper libzookeeper-mt-dev
          clang-14 libclang-rt-14-dev
          default-jdk-headless libcurator-recipes-java libcurator-discovery-java python3-kazoo
          python3-matplotlib valgrind
          python3-dev python3-pybind11 python3-pytest python3-pytest-asyncio python3-mock
          doxygen
          libsasl2-dev libsasl2-modules libsasl2-modules-gssapi-mit libkrb5-dev krb5-kdc krb5-admin-server
          krb5-user)

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

missing=()
for p in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  [[ "$(id -u)" -eq 0 ]] || die "missing packages (${missing[*]}): run this script as root"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "packages: all ${#packages[@]} present"
fi

# The Node binding's npm packages (node-addon-api; typescript for its tests), exactly as
# bindings/node/package-lock.json pins them; skipped while node_modules matches the lock file.
node_dir="$repo/bindings/node"
if [[ -f "$node_dir/package-lock.json" ]] && command -v npm >/dev/null; then
  if cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.package-lock.json.ci" 2>/dev/null; then
    say "npm: bindings/node/node_modules is current"
  else
    say "npm: installing bindings/node's packages (npm ci)"
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$node_dir/package-lock.json" "$node_dir/node_modules/.package-lock.json.ci"
  fi
fi

# meson's own output is long; keep it in a log and show it only when configuring fails.
# A configured build dir is only reconfigured explicitly when packages were just installed (so
# meson looks for them again); otherwise ninja re-runs meson by itself whenever a meson.build
# or option file changed.
cd "$repo"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
configured=false
[[ -f "$build/meson-private/coredata.dat" ]] && configured=true
if $configured && [[ -f "$build/build.ninja" ]] && ((${#missing[@]} == 0)); then
  say "meson: $build is configured"
else
  args=()
  $configured && args=(--reconfigure)
  say "meson: configuring $build"
  meson setup "${args[@]}" "$build" >"$log" 2>&1 || { cat "$log" >&2; die "meson setup failed"; }
fi

say "building"
ninja -C "$build"
say "build ready in $build"
