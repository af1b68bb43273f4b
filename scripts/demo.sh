#!/usr/bin/env bash
# Installs what is missing, builds, then tours the zkit command-line tool against a throwaway
# local ZooKeeper (see scripts/tour.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
echo
exec "$repo/scripts/tour.sh"
