#!/usr/bin/env bash
# cli_stops.sh EBB WASM_DIR CASE -- `ebb run` ends promptly around the guest:
#   load-timeout  the module is a FIFO no one writes: --timeout fires while
#                 ebb is still reading it (the watcher runs before loading)
#   load-sigint   the same, ended by SIGINT
#   full-stderr   ebb's own trap message goes to a pipe that is full and
#                 never read: ebb still exits (the message is dropped)
# Each fails if ebb has not exited after LIMIT seconds (it used to wait for
# ever); the bound is generous, not a timing measurement.
set -u
ebb=$1 dir=$2 case=$3
LIMIT=10
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null' EXIT

# Wait up to LIMIT seconds for pid; set got to its status, or to "hung"
# (and kill it).
wait_limited() {
  local pid=$1 i
  for ((i = 0; i < LIMIT * 20; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      got=$?
      return
    fi
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null
  got=hung
}

expect() {
  if [ "$1" != "$2" ]; then
    echo "FAIL: $case: got $1, want $2" >&2
    [ -f "$tmp/err" ] && cat "$tmp/err" >&2
    exit 1
  fi
}

case $case in
load-timeout)
  mkfifo "$tmp/m.wasm"
  "$ebb" run --timeout 200ms "$tmp/m.wasm" 2>"$tmp/err" &
  wait_limited $!
  expect "$got" 124
  grep -q "ebb: timeout after 200ms" "$tmp/err" || expect "no message" "a timeout message"
  ;;
load-sigint)
  mkfifo "$tmp/m.wasm"
  "$ebb" run "$tmp/m.wasm" 2>"$tmp/err" &
  pid=$!
  sleep 0.3
  kill -INT "$pid"
  wait_limited $pid
  expect "$got" 130
  ;;
full-stderr)
  # A pipe whose reader holds it open and never reads, filled to the brim.
  mkfifo "$tmp/p"
  sleep 600 <"$tmp/p" &
  holder=$!
  exec 3>"$tmp/p"
  timeout 2 dd if=/dev/zero bs=4096 count=1024 >&3 2>/dev/null
  "$ebb" run "$dir/run_trap_in_thread_start.wasm" 2>&3 &
  wait_limited $!
  exec 3>&-
  expect "$got" 134
  ;;
*) echo "unknown case $case" >&2; exit 2 ;;
esac
echo "ok: $case"
