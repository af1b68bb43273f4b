#!/usr/bin/env bash
# The zkit command-line tool against a real ZooKeeper: `zkit serve` in the background, then every
# command, its text and JSON output, its errors and exit codes, a watch, and `zkit ls /` with no
# --connect at all. Fails loudly (never skips) when something is missing.
#
# usage: cli_test.sh PATH/TO/zkit
set -euo pipefail

zkit="${1:-}"
fail() { printf 'cli_test: FAIL: %s\n' "$*" >&2; exit 1; }
[[ -n "$zkit" && -x "$zkit" ]] || fail "usage: cli_test.sh PATH/TO/zkit (got '${zkit}')"

work="$(mktemp -d)"
serve_pid=""
watch_pid=""
bg_pids=()  # lock and elect runs in the background
cleanup() {
  # Only the processes this script started, by PID.
  for pid in "${bg_pids[@]}" "$watch_pid" "$serve_pid"; do
    if [[ -n "$pid" ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
pass() { passed=$((passed + 1)); printf 'ok %d - %s\n' "$passed" "$*"; }

# Waits (bounded) until FILE has at least N lines; fails with FILE's content otherwise.
wait_lines() {
  local file="$1" n="$2" what="$3"
  for _ in $(seq 1 300); do
    [[ -f "$file" && $(wc -l <"$file") -ge $n ]] && return 0
    sleep 0.1
  done
  fail "$what: waited 30 s for $n lines in $file, got: $(cat "$file" 2>/dev/null)"
}

# --- a server -------------------------------------------------------------------------------
"$zkit" serve --ready-file "$work/ready" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
for _ in $(seq 1 900); do
  [[ -s "$work/ready" ]] && break
  kill -0 "$serve_pid" 2>/dev/null || fail "zkit serve exited early: $(cat "$work/serve.err")"
  sleep 0.1
done
[[ -s "$work/ready" ]] || fail "zkit serve wrote no ready file within 90 s: $(cat "$work/serve.err")"
connect="$(<"$work/ready")"
[[ "$connect" =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "ready file holds '$connect'"
[[ "$(head -n1 "$work/serve.out")" == "connect: $connect" ]] ||
  fail "serve's first line is '$(head -n1 "$work/serve.out")', not 'connect: $connect'"
pass "serve prints 'connect: $connect' and writes the ready file"

# Runs zkit against the server; sets $status, $out and $err.
zrun() {
  set +e
  "$zkit" --connect "$connect" "$@" >"$work/out" 2>"$work/err"
  status=$?
  set -e
  out="$(<"$work/out")"
  err="$(<"$work/err")"
}

# expect_ok DESCRIPTION EXPECTED_STDOUT ARGS...: exit 0 and exactly that output.
expect_ok() {
  local what="$1" expected="$2"
  shift 2
  zrun "$@"
  [[ $status -eq 0 ]] || fail "$what: zkit $*: exit $status, stderr: $err"
  [[ "$out" == "$expected" ]] || fail "$what: zkit $*: expected [$expected], got [$out]"
  pass "$what"
}

# expect_match DESCRIPTION GLOB ARGS...: exit 0 and output matching the glob.
expect_match() {
  local what="$1" glob="$2"
  shift 2
  zrun "$@"
  [[ $status -eq 0 ]] || fail "$what: zkit $*: exit $status, stderr: $err"
  # shellcheck disable=SC2053
  [[ "$out" == $glob ]] || fail "$what: zkit $*: expected output like [$glob], got [$out]"
  pass "$what"
}

# expect_error DESCRIPTION EXIT_CODE STDERR_PREFIX ARGS...: that exit code, nothing on stdout,
# exactly one line on stderr starting with the prefix.
expect_error() {
  local what="$1" code="$2" prefix="$3"
  shift 3
  zrun "$@"
  [[ $status -eq $code ]] || fail "$what: zkit $*: expected exit $code, got $status (stderr: $err)"
  [[ -z "$out" ]] || fail "$what: zkit $*: expected no output, got [$out]"
  [[ "$err" == "$prefix"* ]] || fail "$what: zkit $*: expected stderr starting [$prefix], got [$err]"
  [[ $(wc -l <"$work/err") -eq 1 ]] || fail "$what: zkit $*: expected one stderr line, got [$err]"
  pass "$what"
}

# --- the commands, as text ------------------------------------------------------------------
expect_ok "create prints the path" "/t" create /t hello
expect_ok "get prints the data" "hello" get /t
expect_ok "set prints the new version" "/t: version 1" set /t world
expect_ok "get sees the new data" "world" get /t
expect_ok "create without data" "/t/a" create /t/a
expect_ok "create a second child" "/t/b" create /t/b bee
expect_ok "ls lists children sorted" $'a\nb' ls /t
expect_ok "ls / shows the zookeeper node" $'t\nzookeeper' ls /

zrun stat /t
[[ $status -eq 0 ]] || fail "stat /t: exit $status: $err"
for line in 'version +1' 'data_length +5' 'num_children +2' 'ephemeral_owner +0x0' \
            'czxid +0x[0-9a-f]+' 'mtime +20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z'; do
  grep -Eq "^${line}\$" <<<"$out" || fail "stat /t: no line like '$line' in: $out"
done
pass "stat prints versions, sizes, zxids and times"

expect_ok "create a container parent" "/seq" create /seq --container
expect_match "create --sequential appends a counter" '/seq/job-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' \
  create /seq/job- --sequential
expect_match "create --ephemeral --sequential" '/seq/e-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' \
  create /seq/e- --ephemeral --sequential
expect_ok "an ephemeral node goes with zkit's session" "job-0000000000" ls /seq
expect_ok "create --ttl (the served server allows TTL nodes)" "/ttl" create /ttl x --ttl 60000
expect_ok "set --version checks the version" "/t: version 2" set /t again --version 1
zrun set /t - < <(printf 'from stdin')
[[ $status -eq 0 ]] || fail "set /t - (stdin): exit $status: $err"
expect_ok "DATA '-' is read from standard input" "from stdin" get /t

# --- JSON -------------------------------------------------------------------------------------
stat_glob='{"czxid":*,"mzxid":*,"ctime":*,"mtime":*,"version":*,"cversion":*,"aversion":*,"ephemeral_owner":*,"data_length":*,"num_children":*,"pzxid":*}'
expect_match "--json get" '{"path":"/t","data":"from stdin","stat":'"$stat_glob"'}' --json get /t
expect_match "--json stat" '{"path":"/t","stat":{"czxid":*,"version":3,*"data_length":10,"num_children":2,*}}' \
  stat /t --json
expect_match "--json ls" '{"path":"/t","children":\["a","b"\],"stat":'"$stat_glob"'}' --json ls /t
expect_match "--json create" '{"path":"/j","stat":{*"version":0,*}}' --json create /j "é ✓"
expect_match "--json keeps UTF-8 as text" '{"path":"/j","data":"é ✓",*}' --json get /j
expect_match "--json set" '{"path":"/j","stat":{*"version":1,*}}' --json set /j x
zrun set /j - < <(printf '\xff\xfe\x00\x01')
[[ $status -eq 0 ]] || fail "set /j (binary): exit $status: $err"
expect_match "--json gives binary data as base64" '{"path":"/j","data_base64":"//4AAQ==","stat":{*"data_length":4,*}}' \
  --json get /j
expect_ok "--json delete" '{"path":"/j","deleted":true}' --json delete /j

# --- errors -----------------------------------------------------------------------------------
expect_error "get of a missing node: exit 3" 3 "zkit: get /missing: no_node" get /missing
expect_error "create of an existing node: exit 4" 4 "zkit: create /t: node_exists" create /t
expect_error "delete of a node with children: exit 6" 6 "zkit: delete /t: not_empty" delete /t
expect_error "set with a stale version: exit 5" 5 "zkit: set /t: bad_version" set /t x --version 0
expect_error "stat of a missing node: exit 3" 3 "zkit: stat /missing: no_node" stat /missing
expect_error "no command" 2 "zkit: missing command"
expect_error "unknown command" 2 "zkit: unknown command 'frob'" frob /t
expect_error "missing PATH" 2 "zkit: get: missing PATH" get
expect_error "missing DATA" 2 "zkit: set: missing DATA" set /t
expect_error "relative path" 2 "zkit: get: path must start with '/'" get t
expect_error "unknown option" 2 "zkit: get: unknown option --frob" get /t --frob
expect_error "option of another command" 2 "zkit: get: unknown option --ephemeral" get /t --ephemeral
expect_error "incompatible create flags" 2 "zkit: create: --container cannot be combined" \
  create /x --container --ephemeral
expect_error "bad number" 2 "zkit: --timeout: expected milliseconds" --timeout soon get /t
expect_error "bad --version" 2 "zkit: delete: --version: expected a version" delete /t --version x
set +e
"$zkit" --connect 127.0.0.1:1 --timeout 2000 get / >"$work/out" 2>"$work/err"
status=$?
set -e
[[ $status -eq 8 && ! -s "$work/out" ]] || fail "unreachable server: exit $status, stdout $(cat "$work/out")"
grep -q '^zkit: connect 127.0.0.1:1: ' "$work/err" || fail "unreachable server: stderr: $(cat "$work/err")"
pass "an unreachable server is a connection failure (exit 8)"

# --- exit codes, JSON errors, ids ---------------------------------------------------------------
zrun --json get /missing
[[ $status -eq 3 && -z "$out" ]] || fail "--json error: exit $status, stdout [$out]"
[[ "$err" == '{"error":{"code":"no_node","zk_code":-101,"message":"the node does not exist","command":"get","what":"get /missing","path":"/missing","exit":3}}' ]] ||
  fail "--json error: stderr [$err]"
pass "--json: a failure is one JSON object on stderr with its code and exit status"
zrun --json frob
[[ $status -eq 2 && "$err" == '{"error":{"code":"bad_arguments",'*'"exit":2}}' ]] || fail "--json usage error: $status [$err]"
pass "--json: a usage error is JSON too (exit 2)"
zrun --json stat /t
[[ "$out" =~ \"czxid\":\"[0-9]+\" && "$out" =~ \"ephemeral_owner\":\"0\" && "$out" =~ \"pzxid\":\"[0-9]+\" ]] ||
  fail "--json stat: ids are not strings: $out"
pass "--json: zxids and session ids are strings"
expect_match "--version" 'zkit [0-9]*.[0-9]*.[0-9]*' --version
expect_match "--json --version" '{"version":"*"}' --json --version

# --- get is binary-safe -------------------------------------------------------------------------
printf 'a\x00b\xff\n\n' >"$work/bin.in"
zrun create /bin - <"$work/bin.in"
[[ $status -eq 0 ]] || fail "create /bin from stdin: $err"
"$zkit" --connect "$connect" get /bin >"$work/bin.out"
cmp -s "$work/bin.in" "$work/bin.out" || fail "get to a file added or changed bytes: $(od -c "$work/bin.out")"
pass "get to a file writes exactly the node's bytes (no added newline)"

# --- subtree commands ---------------------------------------------------------------------------
expect_ok "create -p makes the parents" "/deep/a/b/c" create -p /deep/a/b/c leaf
expect_ok "create -p with existing parents" "/deep/a/x" create -p /deep/a/x
expect_ok "ls -R lists every descendant" $'/deep\n/deep/a\n/deep/a/b\n/deep/a/b/c\n/deep/a/x' ls -R /deep
expect_ok "tree draws the subtree" $'/deep\n└── a\n    ├── b\n    │   └── c\n    └── x' tree /deep
expect_ok "--json tree" '{"path":"/deep/a/b","name":"b","children":[{"path":"/deep/a/b/c","name":"c","children":[]}]}' --json tree /deep/a/b
expect_ok "find --name" $'/deep/a/b/c' find /deep --name 'c*'
expect_ok "--json find" '{"path":"/deep","matches":["/deep/a/b","/deep/a/x"]}' --json find /deep --name '[bx]'
expect_ok "sync" "synced /deep" sync /deep
expect_match "whoami" $'session 0x*\nip 127.0.0.1' whoami
expect_match "--json whoami" '{"session_id":"[0-9]*","identities":\[{"scheme":"ip","user":"127.0.0.1"}\]}' --json whoami
zrun config
[[ $status -eq 0 ]] || fail "config: exit $status: $err"
pass "config reads the ensemble's configuration"
zrun reconfig --remove 7
[[ $status -ne 0 && $status -ne 2 && "$err" == "zkit: reconfig: "* ]] || fail "reconfig on a standalone server: $status [$err]"
pass "reconfig against a standalone server fails with the server's reason"
expect_error "reconfig needs a change" 2 "zkit: reconfig: give --add, --remove or --members" reconfig
zrun stats
[[ $status -eq 0 && "$out" == "server $connect"* && "$out" == *"zk_version "* && "$out" == *"negotiated_timeout_ms "* ]] ||
  fail "stats: $status [$out] [$err]"
pass "stats shows the server's mntr figures and the session's"
zrun --json stats
[[ "$out" =~ \"zk_znode_count\":[0-9]+ && "$out" =~ \"session_id\":\"[0-9]+\" ]] || fail "--json stats: [$out]"
pass "--json stats"
# The session's metrics: its one round trip (exists /) is counted, ids are strings.
/usr/bin/python3 -c '
import json, sys
s = json.loads(sys.argv[1])["session"]
m = s["metrics"]
assert isinstance(s["session_id"], str), s
assert m["operations"]["exists"]["replies"] == 1, m
assert m["operations"]["exists"]["latency"]["count"] == 1, m
assert m["connections"] == 1 and m["reconnects"] == 0 and m["requests_outstanding"] == 0, m
assert m["bytes_in"] > 0 and m["bytes_out"] > 0, m
' "$out" || fail "--json stats: session metrics: [$out]"
pass "--json stats includes the session's metrics"
zrun stats
[[ "$out" == *"  op.exists replies 1 errors 0 mean_ms "* && "$out" == *"  connections 1"* ]] || fail "stats: session metrics: [$out]"
pass "stats prints the session's metrics"
zrun stats --prometheus
[[ $status -eq 0 && "$out" == "# HELP zkit_session_state "* && "$out" == *"# TYPE zkit_connections_total counter"* &&
   "$out" =~ zkit_connections_total\{session=\"0x[0-9a-f]+\"\}\ 1 &&
   "$out" == *'zkit_disconnects_total{session="'*'",cause="read_timeout"} 0'* ]] ||
  fail "stats --prometheus: $status [$out] [$err]"
pass "stats --prometheus prints the session's figures as Prometheus text"
zrun --json stats --watch 1 --count 2
[[ $status -eq 0 && $(printf '%s\n' "$out" | wc -l) -eq 2 ]] || fail "--json stats --watch 1 --count 2: $status [$out] [$err]"
printf '%s\n' "$out" | /usr/bin/python3 -c '
import json, sys
docs = [json.loads(line) for line in sys.stdin]
assert [d["session"]["metrics"]["operations"]["exists"]["replies"] for d in docs] == [1, 2], docs
' || fail "stats --watch: each refresh counts one more round trip: [$out]"
pass "stats --watch 1 --count 2 refreshes twice, one JSON object per line"
expect_error "stats --count needs --watch" 2 "zkit: stats: --count needs --watch SECONDS" stats --count 2
expect_error "stats --watch needs seconds" 2 "zkit: stats: --watch: expected seconds >= 1, got '0'" stats --watch 0

"$zkit" --connect "$connect" dump /deep >"$work/dump.json" || fail "dump /deep failed"
grep -q '"path":"/deep/a/b/c","mode":"persistent","data":"leaf","acl":\[{"perms":31,"scheme":"world","id":"anyone"}\]' "$work/dump.json" ||
  fail "dump: $(cat "$work/dump.json")"
pass "dump writes the subtree as JSON with data, mode and ACL"
expect_ok "deleteall" "deleted /deep (5 nodes)" deleteall /deep
expect_error "deleteall refuses /" 1 "zkit: deleteall /: bad_arguments" deleteall /
expect_error "deleteall of a missing node" 3 "zkit: deleteall /deep: no_node" deleteall /deep
expect_ok "restore puts the dump back" "restored 5 nodes under /deep" restore "$work/dump.json"
expect_ok "restored data" "leaf" get /deep/a/b/c
expect_error "restore over existing nodes stops at the first" 4 "zkit: restore: node_exists" restore "$work/dump.json"
printf '{"zkit_dump":1,"root":"/r","nodes":[{"path":"/r"},{"path":"bad"}]}' >"$work/bad.json"
expect_error "restore checks the whole file first" 1 "zkit: restore: bad_arguments: $work/bad.json: nodes[1].path:" restore "$work/bad.json"
expect_error "nothing was written" 3 "zkit: get /r: no_node" get /r

# --- ZKIT_CONNECT ---------------------------------------------------------------------------------
ZKIT_CONNECT="$connect" "$zkit" get /deep/a/b/c >"$work/out" 2>"$work/err" || fail "ZKIT_CONNECT: $(cat "$work/err")"
[[ "$(<"$work/out")" == "leaf" && ! -s "$work/err" ]] || fail "ZKIT_CONNECT: [$(cat "$work/out")] [$(cat "$work/err")]"
pass "ZKIT_CONNECT names the servers when --connect is absent"
set +e
ZKIT_CONNECT="zk://nope" "$zkit" ls / >"$work/out" 2>"$work/err"
status=$?
set -e
[[ $status -eq 2 && "$(<"$work/err")" == "zkit: ZKIT_CONNECT: "* ]] || fail "bad ZKIT_CONNECT: $status $(cat "$work/err")"
pass "a bad ZKIT_CONNECT is a usage error naming it"

# --- --config FILE -------------------------------------------------------------------------------
printf '{"connect":"%s","session_timeout_ms":6000,"log_level":"error"}' "$connect" >"$work/zk.json"
env -u ZKIT_CONNECT "$zkit" --config "$work/zk.json" get /deep/a/b/c >"$work/out" 2>"$work/err" ||
  fail "--config: $(cat "$work/err")"
[[ "$(<"$work/out")" == "leaf" && ! -s "$work/err" ]] || fail "--config: [$(cat "$work/out")] [$(cat "$work/err")]"
pass "--config FILE gives the session's options, servers included"
printf '{"connect":"%s","session_timeout_ms":"soon"}' "$connect" >"$work/bad-zk.json"
expect_error "--config names the bad field" 2 "zkit: --config: $work/bad-zk.json: session_timeout_ms: expected an integer >= 1, got \"soon\"" \
  --config "$work/bad-zk.json" ls /
printf '{"sesion_timeout_ms":1}' >"$work/typo.json"
expect_error "--config refuses an unknown key" 2 "zkit: --config: $work/typo.json: sesion_timeout_ms: unknown option" \
  --config "$work/typo.json" ls /

# --- serve --port ---------------------------------------------------------------------------------
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$zkit" serve --port "$port" --ready-file "$work/ready2" >"$work/serve2.out" 2>"$work/serve2.err" &
serve2_pid=$!
bg_pids+=("$serve2_pid")
for _ in $(seq 1 900); do
  [[ -s "$work/ready2" ]] && break
  kill -0 "$serve2_pid" 2>/dev/null || fail "zkit serve --port exited: $(cat "$work/serve2.err")"
  sleep 0.1
done
[[ "$(<"$work/ready2")" == "127.0.0.1:$port" ]] || fail "serve --port $port: ready file holds $(cat "$work/ready2" 2>/dev/null)"
set +e
"$zkit" serve --port "$port" >"$work/out" 2>"$work/err"
status=$?
set -e
[[ $status -ne 0 && "$(<"$work/err")" == *"127.0.0.1:$port is already in use"* ]] || fail "serve on a taken port: $status $(cat "$work/err")"
kill -TERM "$serve2_pid"
wait "$serve2_pid" || fail "serve --port: exit after SIGTERM"
pass "serve --port listens there and prints it; a taken port is refused"

# --- help -------------------------------------------------------------------------------------
expect_match "--help" 'zkit: a command-line client*usage: zkit*watch PATH*' --help
expect_match "COMMAND --help" 'usage: zkit create \[-p\] PATH*--ephemeral*' create --help
expect_match "help COMMAND" 'usage: zkit watch PATH*' help watch

# --- delete -----------------------------------------------------------------------------------
expect_ok "delete prints what it deleted" "deleted /t/a" delete /t/a
expect_ok "delete --version" "deleted /t/b" delete /t/b --version 0
expect_error "the node is gone" 3 "zkit: get /t/a: no_node" get /t/a

# --- watch ------------------------------------------------------------------------------------
"$zkit" --connect "$connect" watch /w >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!
wait_lines "$work/watch.out" 1 "watch of a missing node"
expect_ok "create the watched node" "/w" create /w v1
wait_lines "$work/watch.out" 3 "watch sees the creation"
expect_ok "change it" "/w: version 1" set /w v2
wait_lines "$work/watch.out" 5 "watch sees the change"
expect_ok "delete it" "deleted /w" delete /w
wait_lines "$work/watch.out" 7 "watch sees the deletion"
kill -INT "$watch_pid"
set +e
wait "$watch_pid"
status=$?
set -e
watch_pid=""
[[ $status -eq 0 ]] || fail "watch: exit $status after SIGINT (expected 0): $(cat "$work/watch.err")"
expected='/w does not exist
event: node_created /w
/w = "v1" (version 0)
event: node_data_changed /w
/w = "v2" (version 1)
event: node_deleted /w
/w does not exist'
[[ "$(<"$work/watch.out")" == "$expected" ]] ||
  fail "watch printed: [$(cat "$work/watch.out")], expected [$expected]"
pass "watch streams events and values, and exits 0 on SIGINT"

"$zkit" --connect "$connect" --json watch /t --children >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!
wait_lines "$work/watch.out" 1 "watch --children"
expect_ok "add a child" "/t/c" create /t/c
wait_lines "$work/watch.out" 3 "watch --children sees the new child"
kill -TERM "$watch_pid"
set +e
wait "$watch_pid"
status=$?
set -e
watch_pid=""
[[ $status -eq 0 ]] || fail "watch --children: exit $status after SIGTERM: $(cat "$work/watch.err")"
mapfile -t lines <"$work/watch.out"
[[ "${lines[0]}" == '{"kind":"value","path":"/t","children":[],"stat":{'* ]] ||
  fail "watch --json first line: ${lines[0]}"
[[ "${lines[1]}" == '{"kind":"event","type":"node_children_changed","path":"/t"}' ]] ||
  fail "watch --json event line: ${lines[1]}"
[[ "${lines[2]}" == '{"kind":"value","path":"/t","children":["c"],"stat":{'* ]] ||
  fail "watch --json value line: ${lines[2]}"
pass "watch --children --json: one JSON object per line, exits 0 on SIGTERM"

# --- lock -------------------------------------------------------------------------------------
# Waits (bounded) until FILE exists.
wait_file() {
  local file="$1" what="$2"
  for _ in $(seq 1 300); do
    [[ -e "$file" ]] && return 0
    sleep 0.1
  done
  fail "$what: waited 30 s for $file"
}

# Two workers, three turns each, append "in"/"out" markers with their token around a pause;
# under the lock the markers of two turns never interleave.
worker() {
  local id="$1"
  for _ in 1 2 3; do
    "$zkit" --connect "$connect" lock /cli-lock -- sh -c \
      'echo "in '"$id"' $ZKIT_FENCING_TOKEN $ZKIT_LOCK_PATH" >>"$0"; sleep 0.2; echo "out '"$id"' $ZKIT_FENCING_TOKEN" >>"$0"' \
      "$work/ledger" || return 1
  done
}
worker a & pid_a=$!
worker b & pid_b=$!
bg_pids+=("$pid_a" "$pid_b")
wait "$pid_a" || fail "lock: worker a failed"
wait "$pid_b" || fail "lock: worker b failed"
mapfile -t ledger <"$work/ledger"
[[ ${#ledger[@]} -eq 12 ]] || fail "lock: expected 12 markers, got: ${ledger[*]}"
last=0
for ((i = 0; i < 12; i += 2)); do
  read -r kind_in id_in token_in path_in <<<"${ledger[i]}"
  read -r kind_out id_out token_out <<<"${ledger[i + 1]}"
  [[ $kind_in == in && $kind_out == out && $id_in == "$id_out" && $token_in == "$token_out" ]] ||
    fail "lock: markers interleave at line $((i + 1)): $(cat "$work/ledger")"
  [[ $path_in == /cli-lock ]] || fail "lock: ZKIT_LOCK_PATH was '$path_in'"
  ((token_in > last)) || fail "lock: tokens do not increase: $(cat "$work/ledger")"
  last=$token_in
done
pass "two concurrent zkit lock runs never interleave, and tokens strictly increase"

zrun lock /cli-lock -- sh -c 'exit 7'
[[ $status -eq 7 ]] || fail "lock: expected CMD's status 7, got $status: $err"
pass "lock exits with the command's status"
expect_ok "lock --timeout 0 takes a free lock (the wait starts once connected)" "free" \
  lock /cli-free --timeout 0 -- echo free

"$zkit" --connect "$connect" lock /cli-lock -- sh -c 'touch "$0"; exec sleep 30' "$work/held" \
  2>"$work/holder.err" &
holder=$!
bg_pids+=("$holder")
wait_file "$work/held" "lock holder"
zrun lock /cli-lock --timeout 300ms -- echo never
[[ $status -eq 124 && -z "$out" ]] || fail "lock --timeout: expected exit 124 and no output, got $status [$out]"
[[ "$err" == "zkit: lock /cli-lock: timed out after 300 ms waiting for the lock" ]] ||
  fail "lock --timeout: stderr [$err]"
pass "lock --timeout gives up with exit 124 while another holds the lock"
kill -INT "$holder"
set +e
wait "$holder"
status=$?
set -e
[[ $status -eq 130 ]] || fail "lock: holder exit $status after SIGINT (expected 130): $(cat "$work/holder.err")"
zrun ls /cli-lock
# The lock's parent is a container: the server may have removed it once it was empty.
[[ ($status -eq 0 && -z "$out") || ($status -eq 3 && "$err" == *no_node*) ]] ||
  fail "lock: a node is left under /cli-lock after the holder was interrupted: $out $err"
zrun lock /cli-lock -- no-such-command-zkit
[[ $status -eq 127 ]] || fail "lock: a missing command: exit $status (expected 127): $err"
pass "lock stops a holder on SIGINT (exit 130) and releases; 127 for a missing command"

# --- elect ------------------------------------------------------------------------------------
# A short session (the server's minimum) so that a killed leader's node expires quickly.
for id in e1 e2; do
  "$zkit" --connect "$connect" --session-timeout 4000 elect /cli-elect --id "$id" \
    >"$work/$id.out" 2>"$work/$id.err" &
  bg_pids+=("$!")
  declare "pid_$id=$!"
done
leader_lines() { cat "$work/e1.out" "$work/e2.out" | grep -c '^leader: ' || true; }
for _ in $(seq 1 300); do
  [[ $(leader_lines) -ge 1 && $(wc -l <"$work/e1.out") -ge 1 && $(wc -l <"$work/e2.out") -ge 1 ]] && break
  sleep 0.1
done
[[ $(leader_lines) -eq 1 ]] || fail "elect: expected exactly one leader: $(cat "$work/e1.out" "$work/e2.out")"
if grep -q '^leader: e1 leads /cli-elect (fencing token [0-9]*)$' "$work/e1.out"; then
  first=e1 second=e2
else
  first=e2 second=e1
fi
grep -q "^joined /cli-elect as $second, waiting for leadership\$" "$work/$second.out" ||
  fail "elect: the follower printed: $(cat "$work/$second.out")"
pass "elect: of two participants exactly one prints leader ($first)"
first_pid="pid_$first"
second_pid="pid_$second"
kill -KILL "${!first_pid}"
wait "${!first_pid}" 2>/dev/null || true
wait_lines "$work/$second.out" 2 "elect: the follower after the leader was killed"
grep -q "^leader: $second leads /cli-elect" "$work/$second.out" ||
  fail "elect: $second was not promoted: $(cat "$work/$second.out")"
kill -INT "${!second_pid}"
set +e
wait "${!second_pid}"
status=$?
set -e
[[ $status -eq 0 ]] || fail "elect: exit $status after SIGINT: $(cat "$work/$second.err")"
pass "elect: killing the leader (SIGKILL) promotes the other; SIGINT exits 0"

"$zkit" --connect "$connect" --json elect /cli-elect-cmd --id c -- \
  sh -c 'echo "$ZKIT_FENCING_TOKEN" >"$0"; exec sleep 30' "$work/term" >"$work/c.out" &
elect_cmd=$!
bg_pids+=("$elect_cmd")
wait_file "$work/term" "elect with a command"
wait_lines "$work/c.out" 3 "elect --json with a command"
token="$(<"$work/term")"
grep -qx '{"event":"leader","path":"/cli-elect-cmd","id":"c","token":"'"$token"'"}' "$work/c.out" ||
  fail "elect: the command's ZKIT_FENCING_TOKEN $token is not the term's: $(cat "$work/c.out")"
pass "elect runs CMD while leading, with the term's token in ZKIT_FENCING_TOKEN"

# Loss: a holder whose server goes away is stopped with SIGTERM and zkit exits 75.
"$zkit" --connect "$connect" lock /cli-loss -- sh -c 'echo $$ >"$0"; exec sleep 60' "$work/loss.pid" \
  2>"$work/loss.err" &
loss=$!
bg_pids+=("$loss")
wait_file "$work/loss.pid" "lock holder before the server goes"
loss_cmd="$(<"$work/loss.pid")"

# --- serve stops cleanly ------------------------------------------------------------------------
kill -TERM "$serve_pid"
set +e
wait "$serve_pid"
status=$?
set -e
serve_pid=""
[[ $status -eq 0 ]] || fail "serve: exit $status after SIGTERM: $(cat "$work/serve.err")"
[[ ! -e "$work/ready" ]] || fail "serve left its ready file behind"
pass "serve stops on SIGTERM with exit 0 and removes its ready file"

set +e
wait "$loss"
status=$?
set -e
[[ $status -eq 75 ]] || fail "lock: exit $status when the server went away (expected 75): $(cat "$work/loss.err")"
grep -q '^zkit: lock /cli-loss: lock lost: the connection to ZooKeeper was lost' "$work/loss.err" ||
  fail "lock: no reason on stderr: $(cat "$work/loss.err")"
! kill -0 "$loss_cmd" 2>/dev/null || fail "lock: the command (pid $loss_cmd) still runs after the loss"
pass "lock: the server went away: CMD stopped, exit 75, the reason on stderr"
set +e
wait "$elect_cmd"
status=$?
set -e
[[ $status -eq 1 ]] || fail "elect: exit $status after its server went away and the session expired (expected 1)"
pass "elect: the session expired without a server: exit 1"

# --- no --connect: a throwaway server of its own ------------------------------------------------
set +e
env -u ZKIT_CONNECT "$zkit" ls / >"$work/out" 2>"$work/err"
status=$?
set -e
[[ $status -eq 0 ]] || fail "zkit ls / (no --connect): exit $status: $(cat "$work/err")"
[[ "$(<"$work/out")" == "zookeeper" ]] || fail "zkit ls / (no --connect) printed [$(cat "$work/out")]"
pass "zkit ls / without --connect starts its own server and prints 'zookeeper'"
set +e
env -u ZKIT_CONNECT "$zkit" create /gone x >"$work/out" 2>"$work/err"
status=$?
set -e
[[ $status -eq 0 && "$(<"$work/out")" == "/gone" ]] || fail "create without --connect: exit $status [$(cat "$work/out")]"
grep -q '^zkit: no --connect or ZKIT_CONNECT given: create writes to a throwaway ZooKeeper at 127.0.0.1:[0-9]*, removed when zkit exits$' "$work/err" ||
  fail "create without --connect does not say it wrote to a throwaway server: $(cat "$work/err")"
pass "a write without --connect or ZKIT_CONNECT says on stderr that the server was a throwaway"

echo "cli: $passed passed, 0 failed"
