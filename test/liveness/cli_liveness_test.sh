#!/usr/bin/env bash
# The zkit CLI against scripted hostile peers (zkit-scripted-peer): every command must end on
# its own within its request deadline plus one second, with a message that names the cause,
# and `zkit watch` must end within a second of SIGINT while its read is unanswered.
#
# usage: cli_liveness_test.sh PATH/TO/zkit PATH/TO/zkit-scripted-peer
set -euo pipefail

zkit="${1:-}"
peer_exe="${2:-}"
fail() { printf 'cli_liveness_test: FAIL: %s\n' "$*" >&2; exit 1; }
[[ -x "$zkit" && -x "$peer_exe" ]] || fail "usage: cli_liveness_test.sh ZKIT SCRIPTED_PEER"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do  # only what this script started, by PID
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
pass() { passed=$((passed + 1)); printf 'ok %d - %s\n' "$passed" "$*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Starts a peer playing MODE (extra arguments follow it); sets $port and $peer_out.
start_peer() {
  peer_out="$work/peer-$1-$passed.out"
  "$peer_exe" "$@" >"$peer_out" 2>"$work/peer.err" &
  pids+=($!)
  for _ in $(seq 1 100); do
    [[ -s "$peer_out" ]] && break
    sleep 0.05
  done
  port="$(head -n1 "$peer_out")"
  [[ "$port" =~ ^[0-9]+$ ]] || fail "the peer ($1) printed no port: $(cat "$work/peer.err")"
}

# Runs zkit against the current peer; sets $status, $elapsed (ms) and $err.
zrun() {
  local start
  start="$(now_ms)"
  set +e
  timeout 30 "$zkit" --connect "127.0.0.1:$port" "$@" >"$work/out" 2>"$work/err"
  status=$?
  set -e
  elapsed=$(($(now_ms) - start))
  err="$(cat "$work/err")"
}

# Waits (bounded) until the peer has seen a request, sends SIGNAL to PID, and checks that the
# process ends within a second with status WANT. LABEL names the run in messages.
stop_within_a_second() {
  local pid="$1" signal="$2" want="$3" label="$4" errfile="$5" start status
  for _ in $(seq 1 200); do
    grep -q '^request ' "$peer_out" && break
    sleep 0.05
  done
  grep -q '^request ' "$peer_out" || fail "$label sent no request: $(cat "$errfile")"
  start="$(now_ms)"
  kill -"$signal" "$pid"
  set +e
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  wait "$pid"
  status=$?
  set -e
  elapsed=$(($(now_ms) - start))
  ((elapsed <= 1000)) || fail "$label took $elapsed ms to end after SIG$signal"
  [[ $status -eq $want ]] || fail "$label exited $status after SIG$signal (expected $want): $(cat "$errfile")"
}

session_ms=2000  # so the request deadline (its default) is 2000 ms, the read timeout 1333 ms
commands=("get /x" "ls /x" "set /x v" "create /y v" "delete /x")
for mode in trickle pings-only huge-timeout; do
  case "$mode" in
    trickle) start_peer trickle --interval 200; cause="nothing heard from 127.0.0.1" ;;
    pings-only) start_peer pings-only; cause="no reply within request_timeout ($session_ms ms)" ;;
    huge-timeout) start_peer huge-timeout; cause="nothing heard from 127.0.0.1" ;;
  esac
  for cmd in "${commands[@]}"; do
    # shellcheck disable=SC2086
    zrun --timeout "$session_ms" $cmd
    [[ $status -ne 0 && $status -ne 124 ]] || fail "$mode: zkit $cmd exited $status (124: still running after 30 s)"
    ((elapsed <= session_ms + 1000)) || fail "$mode: zkit $cmd took $elapsed ms (deadline $session_ms ms + 1 s)"
    [[ "$err" == *"$cause"* ]] || fail "$mode: zkit $cmd said '$err', not '$cause'"
    pass "$mode: zkit $cmd fails in $elapsed ms: $err"
  done
done

# A watch whose first read is never answered (a long session timeout: only Ctrl-C ends it).
for signal in INT TERM; do
  start_peer trickle --interval 200
  "$zkit" --connect "127.0.0.1:$port" --timeout 30000 watch /x >"$work/watch.out" 2>"$work/watch.err" &
  watch_pid=$!
  pids+=("$watch_pid")
  stop_within_a_second "$watch_pid" "$signal" 0 "zkit watch" "$work/watch.err"
  pass "zkit watch ends $elapsed ms after SIG$signal with its read unanswered (exit 0)"
done

# lock and elect waiting on a request the server never answers (only pings): Ctrl-C ends them
# within a second too, with their documented status (lock: 130 interrupted; elect: 0).
for run in "lock:130" "elect:0"; do
  verb="${run%%:*}"
  want="${run##*:}"
  start_peer pings-only
  if [[ "$verb" == lock ]]; then
    "$zkit" --connect "127.0.0.1:$port" --session-timeout 30000 lock /l -- sleep 100 >"$work/run.out" 2>"$work/run.err" &
  else
    "$zkit" --connect "127.0.0.1:$port" --timeout 30000 elect /e >"$work/run.out" 2>"$work/run.err" &
  fi
  run_pid=$!
  pids+=("$run_pid")
  stop_within_a_second "$run_pid" INT "$want" "zkit $verb" "$work/run.err"
  pass "zkit $verb ends $elapsed ms after SIGINT with its request unanswered (exit $want)"
done

# No server at all: the message names the last attempt's cause (a port nothing listens on, and a
# name that does not resolve), and a malformed connect string names the mistake.
start_peer pings-only
peer_pid="${pids[-1]}"
kill -TERM "$peer_pid"
wait "$peer_pid" 2>/dev/null || true
zrun --timeout 1500 get /x
cause="last attempt: cannot connect to 127.0.0.1:$port: connection refused"
[[ $status -ne 0 && "$err" == *"$cause"* ]] || fail "refused port: zkit get said '$err', not '$cause'"
pass "refused port: $err"
set +e
timeout 30 "$zkit" --connect nonexistent.invalid:2181 --timeout 1500 get /x >"$work/out" 2>"$work/err"
status=$?
set -e
err="$(cat "$work/err")"
cause="last attempt: cannot resolve nonexistent.invalid:2181"
[[ $status -ne 0 && "$err" == *"$cause"* ]] || fail "unresolvable name: zkit get said '$err', not '$cause'"
pass "unresolvable name: $err"
set +e
timeout 30 "$zkit" --connect "zk://127.0.0.1:$port" get /x >"$work/out" 2>"$work/err"
status=$?
set -e
err="$(cat "$work/err")"
[[ $status -ne 0 && "$err" == *"no scheme"* ]] || fail "zk:// connect string: zkit said '$err'"
pass "zk:// connect string: $err"

printf 'cli_liveness_test: all %d checks passed\n' "$passed"
