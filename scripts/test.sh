#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (extra arguments go to
# `meson test`, e.g. `./scripts/test.sh --suite cli`). The exit status is meson's.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
echo "==> meson test -C build --print-errorlogs $*"
exec meson test -C "$repo/build" --print-errorlogs "$@"
