#!/usr/bin/env bash
# hostile.sh EBB HOSTILE_WASM CASE -- a guest that asks one WASI call for a
# lot of work, again and again (c/hostile.c), must still end promptly: within
# SLACK of --timeout (status 124) or of SIGTERM (status 143). Before the
# work was bounded each call took seconds to minutes:
#   iov-write, iov-read      fd_write / fd_read with ~0x1fffffff empty iovecs
#   iov-pread, iov-pwrite    the same on a file
#   iov-recv, iov-send       the same on a socket (--tcplisten, a client here)
#   random                   random_get of ~4 GiB
#   read-urandom             fd_read of ~4 GiB from /dev/urandom (a device)
#   read-file, pread-file    fd_read / fd_pread of ~4 GiB from a sparse file
#   poll                     poll_oneoff with 2,000,000 subscriptions on a
#                            file: SIGTERM once the guest has filled them in
# The deadline is taken from the moment the guest says it starts ("blocking
# at NS" on stderr) plus the timeout, or from the signal. The margin is wide
# (SLACK_MS): these calls used to take 5 to 90 s, and a loaded machine may
# keep a woken thread waiting for a CPU; one late run is tried again.
set -u
ebb=$1 wasm=$2 case=$3
timeout_ms=300
slack_ms=${SLACK_MS:-1500}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-hostile.XXXXXX") || exit 1
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }
port() { echo $((20000 + RANDOM % 30000)); }
printf 'a line\n' >"$tmp/small"
# A sparse file larger than any read: reading its holes costs the copy only.
truncate -s 5G "$tmp/sparse" || exit 1

# Run ebb in the background; stdin from $1, stdout to $2, the rest are
# ebb's arguments. Sets pid.
launch() {
  local in=$1 out=$2
  shift 2
  : >"$tmp/err" # a retry must not find the last run's "blocking at" (interrupt.sh)
  "$ebb" run "$@" <"$in" >"$out" 2>"$tmp/err" &
  pid=$!
}

# Wait for "blocking at" (or the end), at most 60 s.
wait_blocking() {
  local n
  for n in $(seq 3000); do
    grep -q '^blocking at' "$tmp/err" && return
    kill -0 "$pid" 2>/dev/null || return
    sleep 0.02
  done
}

# Kill a run that does not end within 60 s of its deadline (the bug).
# Killed itself (TERM), the watchdog ends its sleep too: nothing is left
# holding ctest's output.
watchdog() {
  (
    exec >/dev/null 2>&1
    sleep 60 &
    s=$!
    trap 'kill $s; exit' TERM
    wait $s
    kill -KILL "$pid"
  ) &
  wd=$!
}

attempt() {
  local start end opts=(--timeout=${timeout_ms}ms) in=/dev/null out=/dev/null args=()
  signal=
  case $case in
    iov-write | iov-read | random) args=("$case") ;;
    iov-pread) in=$tmp/small args=("$case") ;;
    iov-pwrite) out=$tmp/out args=("$case") ;;
    read-urandom) in=/dev/urandom args=(read-big) ;;
    read-file) in=$tmp/sparse args=(read-big) ;;
    pread-file) in=$tmp/sparse args=(pread-big) ;;
    iov-recv | iov-send) opts+=(--tcplisten "127.0.0.1:$(port)") args=("$case") ;;
    poll) opts=() in=$tmp/small signal=TERM args=(poll 2000000) ;;
    *) echo "hostile.sh: unknown case $case" >&2; exit 2 ;;
  esac
  launch "$in" "$out" "${opts[@]}" -- "$wasm" "${args[@]}"
  watchdog
  if [ "$case" = iov-recv ] || [ "$case" = iov-send ]; then
    # Connect once the guest listens; keep the connection open, quiet.
    local n p=${opts[2]##*:}
    for n in $(seq 250); do
      grep -q "Address already in use" "$tmp/err" && break
      { exec 5<>"/dev/tcp/127.0.0.1/$p"; } 2>/dev/null && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.02
    done
  fi
  if [ -n "$signal" ]; then
    wait_blocking
    sleep 0.1 # into the call
    start=$(now_ms)
    kill -"$signal" "$pid" 2>/dev/null
  fi
  wait "$pid"
  status=$?
  end=$(now_ms)
  kill "$wd" 2>/dev/null
  wait "$wd" 2>/dev/null
  exec 5<&- 5>&-
  if grep -q "Address already in use" "$tmp/err"; then
    fails=3
    return
  fi
  if [ -z "$signal" ]; then
    local ns
    ns=$(sed -n 's/^blocking at \([0-9]*\)$/\1/p' "$tmp/err")
    start=$((${ns:-0} / 1000000 + timeout_ms))
  fi
  late=$((end - start))
  local want_status=124 want_err="ebb: timeout after ${timeout_ms}ms"
  [ -n "$signal" ] && want_status=143 want_err=
  fails=0
  if [ "$status" != "$want_status" ]; then
    echo "FAIL: exit status $status, expected $want_status"
    fails=2
  fi
  if [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$tmp/err"; then
    echo "FAIL: stderr does not say: $want_err"
    fails=2
  fi
  if ! grep -q '^blocking at ' "$tmp/err"; then
    echo "FAIL: the guest never said it started"
    fails=2
  fi
  if [ "$fails" = 0 ] && [ "$late" -gt "$slack_ms" ]; then
    echo "ended ${late} ms after the deadline, allowed ${slack_ms} ms"
    fails=1
  fi
}

for try in 1 2 3 4 5; do
  attempt
  [ "$fails" = 3 ] && { echo "port taken: trying another"; continue; }
  [ "$fails" = 1 ] && [ "$try" = 1 ] && { echo "late once: trying again"; continue; }
  break
done
if [ "$fails" != 0 ]; then
  echo "FAIL ($case)"
  echo "stderr:"
  sed 's/^/  /' "$tmp/err"
  exit 1
fi
echo "ok: $case ended ${late} ms after the deadline (status $status)"
