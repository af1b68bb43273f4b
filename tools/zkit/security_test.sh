#!/usr/bin/env bash
# The zkit tool's security flags against real servers: TLS and mutual TLS to the testing kit's
# TLS server (zkit-tls-test-server), its errors, ACLs (--acl, getacl, setacl, --auth with
# @FILE), and SASL DIGEST-MD5 against the kit's SASL server (zkit-sasl-test-server).
# Fails loudly (never skips) when something is missing.
#
# usage: security_test.sh PATH/TO/zkit PATH/TO/zkit-tls-test-server PATH/TO/zkit-sasl-test-server
set -euo pipefail

zkit="${1:-}"
server="${2:-}"
sasl_server="${3:-}"
fail() { printf 'security_test: FAIL: %s\n' "$*" >&2; exit 1; }
[[ -x "$zkit" && -x "$server" && -x "$sasl_server" ]] || fail "usage: security_test.sh ZKIT TLS_TEST_SERVER SASL_TEST_SERVER"

work="$(mktemp -d)"
server_pid=""
sasl_pid=""
cleanup() {
  for pid in $server_pid $sasl_pid; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
pass() { passed=$((passed + 1)); printf 'ok %d - %s\n' "$passed" "$*"; }

"$server" "$work/ready" 2>"$work/server.err" &
server_pid=$!
"$sasl_server" "$work/sasl-ready" 2>"$work/sasl-server.err" &
sasl_pid=$!
for _ in $(seq 1 900); do
  [[ -s "$work/ready" && -s "$work/sasl-ready" ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the TLS test server exited: $(cat "$work/server.err")"
  kill -0 "$sasl_pid" 2>/dev/null || fail "the SASL test server exited: $(cat "$work/sasl-server.err")"
  sleep 0.1  # polling for the ready files the servers write
done
[[ -s "$work/ready" && -s "$work/sasl-ready" ]] || fail "the test servers were not ready within 90 s"
value() { sed -n "s/^$1=//p" "$work/ready"; }
sasl_value() { sed -n "s/^$1=//p" "$work/sasl-ready"; }
tls="$(value connect)"; plain="$(value plain)"; ca="$(value ca)"; cert="$(value cert)"; key="$(value key)"
other_ca="$(value other_ca)"; identity="$(value identity)"

# Runs zkit; sets $status, $out and $err.
zrun() {
  set +e
  "$zkit" --timeout 3000 "$@" >"$work/out" 2>"$work/err"
  status=$?
  set -e
  out="$(<"$work/out")"
  err="$(<"$work/err")"
}
expect() {  # STATUS WHAT
  [[ "$status" == "$1" ]] || fail "$2: exit status $status (expected $1); stdout: $out; stderr: $err"
}

# --- TLS ------------------------------------------------------------------------------------
zrun --connect "$tls" --tls-ca "$ca" --tls-cert "$cert" --tls-key "$key" create /secure "over-tls"
expect 0 "create over mutual TLS"
zrun --connect "$tls" --tls-ca "$ca" --tls-cert "$cert" --tls-key "$key" get /secure
expect 0 "get over mutual TLS"
[[ "$out" == "over-tls" ]] || fail "get over TLS printed '$out'"
pass "create and get over mutual TLS (--tls-ca, --tls-cert, --tls-key)"

zrun --connect "$tls" --tls-ca "$ca" --tls-cert "$cert" --tls-key "$key" --tls-server-name zk.example.com get /secure
expect 8 "a wrong --tls-server-name"
[[ "$err" == *"name mismatch"*"zk.example.com"* ]] || fail "name mismatch not reported: $err"
pass "--tls-server-name is checked: name mismatch reported"

zrun --connect "$tls" --tls-ca "$other_ca" --tls-cert "$cert" --tls-key "$key" get /secure
expect 8 "an untrusted CA"
[[ "$err" == *"unknown CA"* ]] || fail "unknown CA not reported: $err"
pass "a server from another CA: unknown CA reported"

zrun --connect "$tls" --tls-ca "$ca" get /secure
expect 8 "no client certificate"
[[ "$err" == *"demands a client certificate"* ]] || fail "missing client certificate not reported: $err"
pass "without --tls-cert against ssl.clientAuth=need: reported as such"

zrun --connect "$tls" --tls-ca "$work/nope.pem" get /secure
expect 2 "a missing CA file"
[[ "$err" == *"nope.pem"* ]] || fail "missing CA file not named: $err"
pass "a missing --tls-ca file is named"

# --- ACLs -----------------------------------------------------------------------------------
hash="$(printf 'alice:wonder' | openssl dgst -binary -sha1 | base64)"
zrun --connect "$plain" create /vault secret --acl "digest:alice:$hash:cdrwa,world:anyone:r"
expect 0 "create --acl"
zrun --connect "$plain" set /vault changed
expect 7 "set without auth"
printf 'alice:wonder\n' >"$work/alice.cred"
zrun --connect "$plain" --auth "digest:@$work/alice.cred" set /vault changed
expect 0 "set with --auth digest:@FILE"
pass "create --acl in zkCli notation; --auth digest:@FILE admits the digest user"

zrun --connect "$plain" --auth digest:alice:wonder getacl /vault
expect 0 "getacl"
[[ "$out" == "digest:alice:$hash:cdrwa"$'\n'"world:anyone:r" ]] || fail "getacl printed: $out"
zrun --connect "$plain" --auth digest:alice:wonder --json getacl /vault
[[ "$out" == *'{"id":"anyone","perms":"r","scheme":"world"}'* ]] || fail "getacl --json printed: $out"
pass "getacl prints the ACL in zkCli notation (and JSON)"

zrun --connect "$plain" --auth digest:alice:wonder setacl /vault "x509:$identity:cdrwa" --version 0
expect 0 "setacl"
zrun --connect "$tls" --tls-ca "$ca" --tls-cert "$cert" --tls-key "$key" get /vault
expect 0 "get by the x509 identity"
[[ "$out" == "changed" ]] || fail "x509 get printed '$out'"
zrun --connect "$plain" --auth digest:alice:wonder get /vault
expect 7 "the digest user after setacl"
pass "setacl to x509:$identity: the client certificate reads, the digest user no longer"

zrun --connect "$plain" setacl /vault "world:anyone:rz"
expect 2 "a malformed ACL"
[[ "$err" == *"permission"* ]] || fail "bad perms not explained: $err"
zrun --connect "$tls" --tls-ca "$other_ca" --auth "digest:alice:s3cr3t-zz" get /vault
expect 8 "a failing connection with credentials"
[[ "$err" != *"s3cr3t-zz"* ]] || fail "a credential appeared on stderr: $err"
pass "a malformed ACL is a usage error; credentials never printed"

# --- SASL DIGEST-MD5 ------------------------------------------------------------------------
sasl="$(sasl_value connect)"; sasl_user="$(sasl_value user)"; sasl_password="$(sasl_value password)"
other_user="$(sasl_value other_user)"; other_password="$(sasl_value other_password)"
ZKIT_SASL_PASSWORD="$sasl_password" zrun --connect "$sasl" --sasl-mechanism digest-md5 --sasl-user "$sasl_user" \
  create /sasl-node "by-sasl" --acl "sasl:$sasl_user:cdrwa"
expect 0 "create with SASL (password from ZKIT_SASL_PASSWORD)"
printf '%s\n' "$sasl_password" >"$work/sasl.password"
zrun --connect "$sasl" --sasl-mechanism digest-md5 --sasl-user "$sasl_user" --sasl-password-file "$work/sasl.password" \
  get /sasl-node
expect 0 "get with --sasl-password-file"
[[ "$out" == "by-sasl" ]] || fail "get with SASL printed '$out'"
pass "--sasl-mechanism digest-md5: ZKIT_SASL_PASSWORD and --sasl-password-file connect; sasl:USER admits"

ZKIT_SASL_PASSWORD="$other_password" zrun --connect "$sasl" --sasl-mechanism digest-md5 --sasl-user "$other_user" \
  get /sasl-node
expect 7 "another SASL user on a sasl:$sasl_user node"
zrun --connect "$sasl" get /sasl-node
expect 7 "no SASL on a sasl:$sasl_user node"
pass "the sasl ACL refuses another SASL user and a session without SASL (exit 7)"

ZKIT_SASL_PASSWORD="wr0ng-pw-zq" zrun --connect "$sasl" --sasl-mechanism digest-md5 --sasl-user "$sasl_user" --json \
  get /sasl-node
expect 7 "a wrong SASL password"
[[ "$err$out" == *"refused SASL DIGEST-MD5"* ]] || fail "the refusal is not explained: $err $out"
[[ "$err$out" != *"wr0ng-pw-zq"* ]] || fail "the SASL password appeared in the output: $err $out"
pass "a wrong SASL password: exit 7, explained, the password not printed (JSON too)"

zrun --connect "$sasl" --sasl-mechanism digest-md5 --sasl-user "$sasl_user" --sasl-password "pl41n-pw-zq" get /sasl-node
expect 2 "--sasl-password"
[[ "$err" == *"ZKIT_SASL_PASSWORD"*"--sasl-password-file"* ]] || fail "--sasl-password refused without the alternatives: $err"
[[ "$err" != *"pl41n-pw-zq"* ]] || fail "the refused password was printed: $err"
env -u ZKIT_SASL_PASSWORD "$zkit" --connect "$sasl" --sasl-mechanism digest-md5 --sasl-user "$sasl_user" get /sasl-node \
  >"$work/out" 2>"$work/err" && status=0 || status=$?
out="$(<"$work/out")"; err="$(<"$work/err")"
expect 2 "digest-md5 without a password"
[[ "$err" == *"needs a password"* ]] || fail "a missing password is not explained: $err"
zrun --connect "$sasl" --sasl-mechanism plain --sasl-user "$sasl_user" get /sasl-node
expect 2 "an unknown mechanism"
zrun --connect "$sasl" --sasl-mechanism digest-md5 --sasl-user "$sasl_user" --sasl-password-file "$work/none" get /
expect 2 "a missing password file"
[[ "$err" == *"$work/none"* ]] || fail "the missing password file is not named: $err"
pass "--sasl-password is refused with the reason; a missing password, mechanism or file is a usage error"

# --- SASL GSSAPI (Kerberos) ----------------------------------------------------------------
krb_connect="$(sasl_value krb_connect)"; principal="$(sasl_value principal)"
krb_env=(env "KRB5_CONFIG=$(sasl_value krb5_conf)" "KRB5_CLIENT_KTNAME=$(sasl_value keytab)"
         "KRB5CCNAME=$(sasl_value kdc_dir)/cli.ccache")
krun() {  # zrun with the Kerberos environment
  set +e
  "${krb_env[@]}" "$zkit" --timeout 3000 "$@" >"$work/out" 2>"$work/err"
  status=$?
  set -e
  out="$(<"$work/out")"
  err="$(<"$work/err")"
}
krun --connect "$krb_connect" --sasl-mechanism gssapi create /krb-node "by-kerberos" --acl "sasl:$principal:cdrwa"
expect 0 "create with --sasl-mechanism gssapi"
krun --connect "$krb_connect" --sasl-mechanism gssapi --json whoami
expect 0 "whoami with gssapi"
[[ "$out" == *"$principal"* ]] || fail "whoami does not list $principal: $out"
zrun --connect "$krb_connect" get /krb-node
expect 7 "no SASL on a sasl:$principal node"
pass "--sasl-mechanism gssapi with a client keytab: the principal is admitted by its sasl ACL, others not"

set +e
env "KRB5_CONFIG=$(sasl_value krb5_conf)" "KRB5CCNAME=$work/no.ccache" "KRB5_CLIENT_KTNAME=$work/no.keytab" \
  "$zkit" --timeout 3000 --connect "$krb_connect" --sasl-mechanism gssapi get /krb-node >"$work/out" 2>"$work/err"
status=$?
set -e
out="$(<"$work/out")"; err="$(<"$work/err")"
expect 7 "gssapi without credentials"
[[ "$err" == *"No Kerberos credentials available"* ]] || fail "missing Kerberos credentials not explained: $err"
pass "gssapi without a ticket or keytab: exit 7, explained"

# --- lock and elect take the same flags as the other commands ----------------------------------------------------
zrun --connect "$tls" --tls-ca "$ca" --tls-cert "$cert" --tls-key "$key" lock /secure-lock -- sh -c 'test -n "$ZKIT_FENCING_TOKEN"'
expect 0 "lock over mutual TLS"
pass "lock over mutual TLS (--tls-ca, --tls-cert, --tls-key); elect shares its session set-up"

zrun --connect "$plain" --auth "digest:@$work/alice.cred" create /vault-locks "" --acl "digest:alice:$hash:cdrwa"
expect 0 "create a lock parent only alice may write"
zrun --connect "$plain" lock /vault-locks/l -- true
[[ "$status" != 0 ]] || fail "lock without --auth under a digest ACL succeeded"
[[ "$err" == *"no_auth"* ]] || fail "lock without --auth: the refusal is not explained: $err"
zrun --connect "$plain" --auth "digest:@$work/alice.cred" lock /vault-locks/l -- true
expect 0 "lock with --auth digest:@FILE"
pass "lock takes --auth: refused without it under a digest ACL, held with it"

ZKIT_SASL_PASSWORD="$sasl_password" zrun --connect "$sasl" --sasl-mechanism digest-md5 --sasl-user "$sasl_user" \
  lock /sasl-lock -- true
expect 0 "lock with SASL DIGEST-MD5"
pass "lock with --sasl-mechanism digest-md5"

printf 'security_test: %d passed\n' "$passed"
