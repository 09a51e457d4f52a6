#!/usr/bin/env bash
# signals.sh EBB WASM_DIR CASE -- `ebb run`'s two-phase end (--grace) for
# guests that export __signal_address and __terminated_address: SIGINT and
# SIGTERM are written where the guest looks, and the program is ended only
# after the grace period or at a second signal. Each case waits for the
# guest's "ready" line before signalling; bounds are generous (LIMIT), and
# the one lower bound (a grace period is not cut short) is the duration
# asked for.
set -u
ebb=$1 dir=$2 case=$3
LIMIT=10
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null' EXIT

fail() {
  echo "FAIL: $case: $*" >&2
  echo "--- stdout" >&2; cat "$tmp/out" >&2
  echo "--- stderr" >&2; cat "$tmp/err" >&2
  exit 1
}

# Start `ebb run ARGS` in the background (stdin from $stdin, default
# /dev/null) and wait for its "ready" line.
start() {
  "$ebb" run "$@" <"${stdin:-/dev/null}" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  local i
  for ((i = 0; i < LIMIT * 100; i++)); do
    grep -q ready "$tmp/out" && return
    kill -0 "$pid" 2>/dev/null || fail "exited before it was ready"
    sleep 0.01
  done
  fail "never ready"
}

# Wait up to LIMIT seconds for $pid; set got to its status (or fail).
finish() {
  local i
  for ((i = 0; i < LIMIT * 100; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      got=$?
      return
    fi
    sleep 0.01
  done
  kill -9 "$pid" 2>/dev/null
  fail "still running after ${LIMIT}s"
}

expect_status() { [ "$got" = "$1" ] || fail "exit status $got, want $1"; }
expect_out() { grep -qx "$1" "$tmp/out" || fail "no line '$1' in stdout"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

case $case in
spin-int | spin-term)
  sig=${case#spin-}
  start --grace 5s "$dir/sig_spin.wasm"
  kill -"${sig^^}" "$pid"
  finish
  expect_status 0
  [ "$sig" = int ] && expect_out "signal 02" || expect_out "signal 15"
  ;;
wait-int)
  start --grace 5s "$dir/sig_wait.wasm"
  kill -INT "$pid"
  finish
  expect_status 0
  expect_out "signal 02"
  ;;
read-int)
  mkfifo "$tmp/in"
  sleep 600 >"$tmp/in" &
  holder=$!
  stdin=$tmp/in start --grace 5s "$dir/sig_read.wasm"
  kill -INT "$pid"
  finish
  expect_status 0
  expect_out "read 27 signal 02" # fd_read: EINTR
  ;;
late-read)
  mkfifo "$tmp/in"
  sleep 600 >"$tmp/in" &
  holder=$!
  stdin=$tmp/in start --grace 60s "$dir/sig_late.wasm"
  kill -TERM "$pid" # while it computes, before its read
  finish
  expect_status 27 # fd_read: EINTR, long before the grace period
  ;;
ignore-int | ignore-term)
  sig=${case#ignore-}
  start --grace 300ms "$dir/sig_ignore.wasm"
  t0=$(now_ms)
  kill -"${sig^^}" "$pid"
  finish
  elapsed=$(($(now_ms) - t0))
  [ "$sig" = int ] && expect_status 130 || expect_status 143
  [ "$elapsed" -ge 300 ] || fail "ended after ${elapsed} ms, before the 300 ms grace period"
  ;;
ignore-twice)
  start --grace 60s "$dir/sig_ignore.wasm"
  kill -INT "$pid"
  sleep 0.2
  kill -INT "$pid"
  finish # within LIMIT: long before the 60 s grace period
  expect_status 130
  ;;
grace-zero)
  start --grace 0 "$dir/sig_spin.wasm"
  kill -INT "$pid"
  finish
  expect_status 130
  if grep -q "signal" "$tmp/out"; then fail "the guest was told with --grace 0"; fi
  ;;
plain)
  start "$dir/sig_plain.wasm"
  kill -TERM "$pid"
  finish
  expect_status 143
  ;;
timeout-told)
  start --timeout 300ms --grace 5s "$dir/sig_spin.wasm"
  finish
  expect_status 0
  expect_out "signal 15"
  ;;
timeout-ignored)
  start --timeout 300ms --grace 200ms "$dir/sig_ignore.wasm"
  finish
  expect_status 124
  ;;
*)
  echo "signals.sh: no case $case" >&2
  exit 2
  ;;
esac
exit 0
