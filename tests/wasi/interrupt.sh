#!/usr/bin/env bash
# interrupt.sh EBB BLOCK_WASM CASE -- a guest blocked in a WASI call must
# end within 100 ms of --timeout (status 124, "ebb: timeout after ...") or
# of SIGINT (status 130), whatever it is blocked in:
#   sleep        poll_oneoff on a clock (sleep(100))
#   read-fifo    fd_read of a FIFO whose writer never writes
#   read-pipe    fd_read of a pipe (`sleep 30 |` style)
#   poll-fifo    poll_oneoff on that FIFO, no clock
#   write-pipe   fd_write of 16 MiB into a pipe nobody reads
#   sigint-read  SIGINT (not --timeout) while in fd_read of a FIFO
#   accept       sock_accept on a --tcplisten socket nobody connects to
#   sigint-accept  SIGINT while in that sock_accept
# The deadline is taken from the moment the guest says it blocks ("blocking
# at NS" on stderr), which keeps process start-up out of the measure. ebb's
# own deadline starts earlier, at its start, so lateness is under-reported by
# the guest's start-up (milliseconds; a wait that never wakes is seconds). A
# run late only by the clock is tried once more: on a loaded machine a
# thread can wait that long for a CPU, while a wait that does not wake at
# all is seconds late every time.
set -u
ebb=$1 wasm=$2 case=$3
timeout_ms=300
slack_ms=100

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-int.XXXXXX") || exit 1
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }
fifo_writer() { sleep 30 >"$tmp/fifo" & pids+=($!); }
# A port for --tcplisten: random; a run that finds it taken is run again.
port() { echo $((20000 + RANDOM % 30000)); }
mkfifo "$tmp/fifo"

# One run: sets status, late (ms after the deadline) and fails (0/1/2/3: ok,
# late only, wrong, the port was taken).
attempt() {
  local start end
  # A second attempt must not see the first one's "blocking at" and send
  # SIGINT before ebb has blocked it: a background job of a non-interactive
  # shell starts with SIGINT ignored, and the kernel drops one sent then.
  : >"$tmp/err"
  case $case in
    sleep)
      "$ebb" run --timeout=${timeout_ms}ms -- "$wasm" sleep >"$tmp/out" 2>"$tmp/err" </dev/null
      status=$? ;;
    read-fifo)
      fifo_writer
      "$ebb" run --timeout=${timeout_ms}ms -- "$wasm" read >"$tmp/out" 2>"$tmp/err" <"$tmp/fifo"
      status=$? ;;
    read-pipe)
      exec 3< <(sleep 30)
      pids+=($!)
      "$ebb" run --timeout=${timeout_ms}ms -- "$wasm" read >"$tmp/out" 2>"$tmp/err" <&3
      status=$?
      exec 3<&- ;;
    poll-fifo)
      fifo_writer
      "$ebb" run --timeout=${timeout_ms}ms -- "$wasm" poll-read >"$tmp/out" 2>"$tmp/err" <"$tmp/fifo"
      status=$? ;;
    write-pipe)
      exec 4> >(sleep 30)
      pids+=($!)
      "$ebb" run --timeout=${timeout_ms}ms -- "$wasm" write 16777216 >&4 2>"$tmp/err" </dev/null
      status=$?
      exec 4>&- ;;
    sigint-read | sigint-accept)
      if [ "$case" = sigint-read ]; then
        fifo_writer
        "$ebb" run -- "$wasm" read >"$tmp/out" 2>"$tmp/err" <"$tmp/fifo" &
      else
        "$ebb" run --tcplisten "127.0.0.1:$(port)" -- "$wasm" accept >"$tmp/out" 2>"$tmp/err" </dev/null &
      fi
      local pid=$! n
      # Signal once the guest says it is about to block (or has died).
      for n in $(seq 250); do
        grep -q '^blocking at' "$tmp/err" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
      done
      start=$(now_ms)
      kill -INT "$pid"
      wait "$pid"
      status=$? ;;
    accept)
      "$ebb" run --tcplisten "127.0.0.1:$(port)" --timeout=${timeout_ms}ms -- "$wasm" accept \
        >"$tmp/out" 2>"$tmp/err" </dev/null
      status=$? ;;
    *) echo "interrupt.sh: unknown case $case" >&2; exit 2 ;;
  esac
  end=$(now_ms)
  if grep -q "Address already in use" "$tmp/err"; then
    fails=3; return
  fi
  if [ "${case#sigint-}" = "$case" ]; then
    local ns
    ns=$(sed -n 's/^blocking at \([0-9]*\)$/\1/p' "$tmp/err")
    start=$(( ${ns:-0} / 1000000 + timeout_ms ))
  fi
  late=$((end - start))
  local want_status=124 want_err="ebb: timeout after ${timeout_ms}ms"
  [ "${case#sigint-}" != "$case" ] && want_status=130 want_err=
  fails=0
  if [ "$status" != "$want_status" ]; then
    echo "FAIL: exit status $status, expected $want_status"; fails=2
  fi
  if [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$tmp/err"; then
    echo "FAIL: stderr does not say: $want_err"; fails=2
  fi
  if ! grep -q '^blocking at ' "$tmp/err"; then
    echo "FAIL: the guest never said it was blocking"; fails=2
  fi
  if [ "$fails" = 0 ] && [ "$late" -gt "$slack_ms" ]; then
    echo "ended ${late} ms after the deadline, allowed ${slack_ms} ms"; fails=1
  fi
}

# A run that found its port taken (fails=3) is not counted.
attempt_on_free_port() {
  local n
  for n in 1 2 3 4 5; do
    attempt
    [ "$fails" = 3 ] || return
    echo "port taken: trying another"
  done
  echo "FAIL: no free port"; fails=2
}

attempt_on_free_port
if [ "$fails" = 1 ]; then
  echo "late once: trying again"
  attempt_on_free_port
fi
if [ "$fails" != 0 ]; then
  echo "FAIL ($case)"
  echo "stderr:"; sed 's/^/  /' "$tmp/err"
  exit 1
fi
echo "ok: $case ended ${late} ms after the deadline (status $status)"
