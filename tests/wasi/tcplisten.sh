#!/usr/bin/env bash
# tcplisten.sh EBB BLOCK_WASM -- `ebb run --tcplisten`: the guest accepts a
# connection on descriptor 3, receives what the client sent and answers
# "pong" (block.c's accept mode); and bad addresses are clear errors.
set -u
ebb=$1 wasm=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-tcp.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in out err reply; do [ -f "$tmp/$f" ] && sed "s/^/  $f: /" "$tmp/$f"; done; exit 1; }

# A connection, on a random port (taken ones are tried again).
for try in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  "$ebb" run --tcplisten "127.0.0.1:$port" --timeout 20s -- "$wasm" accept >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  # The guest says "blocking at" just before sock_accept: the socket listens.
  for _ in $(seq 200); do grep -q '^blocking at' "$tmp/err" && break; kill -0 $pid 2>/dev/null || break; sleep 0.02; done
  if grep -q "Address already in use" "$tmp/err"; then wait $pid; continue; fi
  exec 5<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect to port $port"
  printf 'hello' >&5
  cat <&5 >"$tmp/reply"
  exec 5<&-
  wait $pid
  status=$?
  break
done
[ "${status:-}" = 5 ] || fail "exit status ${status:-none}, expected 5 (bytes received)"
[ "$(cat "$tmp/out")" = "got 5: hello, sent 4 (ok)" ] || fail "unexpected guest output"
[ "$(cat "$tmp/reply")" = pong ] || fail "the client did not get pong"

# Bad addresses: exit status 1 and a message naming the option.
check_error() { # ADDRESS EXPECTED-MESSAGE
  "$ebb" run --tcplisten "$1" -- "$wasm" accept >"$tmp/out" 2>"$tmp/err" </dev/null
  local st=$?
  [ $st = 1 ] || fail "--tcplisten $1: exit status $st, expected 1"
  grep -qF -- "ebb: --tcplisten $1: $2" "$tmp/err" || fail "--tcplisten $1: expected '$2'"
}
check_error nope "expected HOST:PORT"
check_error "127.0.0.1:http" "the port must be a number"
check_error "[::1" "expected [IPV6]:PORT"
"$ebb" run --tcplisten >/dev/null 2>"$tmp/err"
[ $? = 2 ] || fail "--tcplisten without a value: expected usage error 2"
echo "ok: tcplisten"
