#!/usr/bin/env bash
# A short tour of the zkit command-line tool against one throwaway local ZooKeeper.
# Expects a build in ./build (scripts/setup.sh makes it); ZKIT=/path/to/zkit overrides.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
zkit="${ZKIT:-$repo/build/tools/zkit/zkit}"
die() { printf 'tour: %s\n' "$*" >&2; exit 1; }
[[ -x "$zkit" ]] || die "no zkit binary at $zkit: run scripts/setup.sh first"

work="$(mktemp -d)"
serve_pid=""
watch_pid=""
cleanup() {
  # Stops exactly the processes this script started, by PID, and waits for them.
  for pid in "$watch_pid" "$serve_pid"; do
    if [[ -n "$pid" ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
commands=0

# Waits up to $2 tenths of a second for the command in $1 to succeed.
wait_until() {
  local check="$1" tenths="$2"
  for _ in $(seq 1 "$tenths"); do
    eval "$check" && return 0
    sleep 0.1
  done
  return 1
}

# Shows a command the way a user would type it, then runs it against the tour's server.
show() {
  printf '$ zkit %s\n' "$*"
  commands=$((commands + 1))
  "$zkit" --connect "$connect" "$@"
  echo
}

# Same, for a command that is expected to fail: shows its error and exit status.
show_failure() {
  printf '$ zkit %s\n' "$*"
  commands=$((commands + 1))
  local status=0
  "$zkit" --connect "$connect" "$@" 2>&1 || status=$?
  [[ $status -ne 0 ]] || die "zkit $* was expected to fail"
  printf '(exit status %d)\n\n' "$status"
}

echo "== starting a throwaway ZooKeeper: zkit serve --ready-file FILE &"
"$zkit" serve --ready-file "$work/ready" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
wait_until '[[ -s "$work/ready" ]] || ! kill -0 "$serve_pid" 2>/dev/null' 600 ||
  die "zkit serve did not get ready within 60 s: $(cat "$work/serve.err")"
[[ -s "$work/ready" ]] || die "zkit serve exited: $(cat "$work/serve.err")"
connect="$(<"$work/ready")"
head -n1 "$work/serve.out"
echo "(every command below runs as: zkit --connect $connect ...)"
echo

echo "== nodes, data and versions"
show create /demo hello
show get /demo
show set /demo world
show stat /demo
show create /demo/cfg v1
show create /demo/worker- --ephemeral --sequential
show ls /demo
echo "(the ephemeral worker went away with the session of the command that made it)"
echo
show --json stat /demo/cfg
show_failure get /demo/missing

echo "== a watch: zkit watch /demo/cfg & (then two sets)"
"$zkit" --connect "$connect" watch /demo/cfg >"$work/watch.out" 2>&1 &
watch_pid=$!
lines() { [[ -f "$work/watch.out" ]] && wc -l <"$work/watch.out" || echo 0; }
wait_until '[[ $(lines) -ge 1 ]]' 100 || die "the watch printed nothing: $(cat "$work/watch.out")"
show set /demo/cfg v2
wait_until '[[ $(lines) -ge 3 ]]' 100 || die "the watch missed a change: $(cat "$work/watch.out")"
show set /demo/cfg v3
wait_until '[[ $(lines) -ge 5 ]]' 100 || die "the watch missed a change: $(cat "$work/watch.out")"
kill -INT "$watch_pid"
watch_status=0
wait "$watch_pid" || watch_status=$?
watch_pid=""
echo "the watcher printed (then exited with status $watch_status on Ctrl-C):"
sed 's/^/  | /' "$work/watch.out"
echo

echo "== cleaning up"
show delete /demo/cfg
show delete /demo
show ls /

kill -TERM "$serve_pid"
wait "$serve_pid" || die "zkit serve exited with status $? on SIGTERM"
serve_pid=""
echo "tour done: $commands zkit commands and a watch against a throwaway ZooKeeper" \
  "in $((SECONDS - started)) s; the server is stopped and its files removed."
