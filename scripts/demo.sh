#!/usr/bin/env bash
# Installs what is missing, builds, then runs the storage-node demo: three storage nodes on a
# throwaway local 3-member ZooKeeper ensemble, their leader killed, then a ZooKeeper server
# (see docs/storage-demo.md). scripts/tour.sh is the tour of the zkit command-line tool.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
echo
exec "$repo/build/tools/storage_demo/zkit-storage-demo" "$@"
