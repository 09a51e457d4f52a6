#!/usr/bin/env bash
# stdin_readers.sh EBB READERS_WASM INPUT END -- eight guest threads read
# standard input at once (wat/stdin_readers.wat) while lines arrive one by
# one; each line wakes all eight and one reads it. The other seven must go
# back to an interruptible wait, never into a read that blocks, so the
# program must still end promptly:
#   INPUT  pty   stdin (and stdout) a terminal: `script` runs ebb on a pty
#                whose input comes from a FIFO written here
#          fifo  stdin a FIFO
#   END    timeout  --timeout 3s: status 124 within SLACK of 3 s after start
#          sigint   SIGINT after the last line (for pty: ^C typed into the
#                   terminal, as a user would): status 130
#          sigterm  SIGTERM after the last line: status 143
# A run still going 20 s after its end was asked for is killed and fails:
# that is what happened when the losers blocked in a plain read of a
# terminal (only SIGKILL ended it).
set -u
ebb=$1 wasm=$2 input=$3 end=$4
slack_ms=${SLACK_MS:-2000}
lines=30

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-readers.XXXXXX") || exit 1
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }
fail() {
  echo "FAIL ($input, $end): $*"
  echo "output:"
  sed 's/^/  /' "$tmp/out" 2>/dev/null | tail -20
  exit 1
}
if [ "$input" = pty ] && ! command -v script >/dev/null; then
  echo "skipped: no script(1) to make a terminal"
  exit 0
fi
mkfifo "$tmp/in"

opts=()
[ "$end" = timeout ] && opts=(--timeout 3s)

# The feeder: lines 20 ms apart, then (sigint on a pty) ^C, then it holds
# the FIFO open so that no reader ever sees the end of input.
{
  sleep 0.3
  for i in $(seq $lines); do
    printf 'line %d\n' "$i"
    sleep 0.02
  done
  : >"$tmp/sent"
  sleep 0.3
  if [ "$end" = sigint ] && [ "$input" = pty ]; then
    : >"$tmp/signalled"
    printf '\003'
  fi
  exec sleep 60 # the same pid: cleanup's kill ends it
} >"$tmp/in" 2>/dev/null &
pids+=($!)

start=$(now_ms)
if [ "$input" = pty ]; then
  # script runs the command in a shell on a new terminal; the shell records
  # its pid and becomes ebb.
  script -q -e -c "echo \$\$ >'$tmp/pid'; exec '$ebb' run ${opts[*]} -- '$wasm'" /dev/null \
    <"$tmp/in" >"$tmp/out" 2>&1 &
else
  "$ebb" run "${opts[@]}" -- "$wasm" <"$tmp/in" >"$tmp/out" 2>&1 &
  echo $! >"$tmp/pid"
fi
runner=$!
pids+=($runner)

# Wait for the feeder to finish its lines (at most 30 s).
for n in $(seq 1500); do
  [ -f "$tmp/sent" ] && break
  kill -0 "$runner" 2>/dev/null || break
  sleep 0.02
done
[ -f "$tmp/sent" ] || fail "the lines were not all sent"

case $end in
  timeout) asked=$((start + 3000)) ;;
  sigint | sigterm)
    sleep 0.3
    if [ "$input" = pty ] && [ "$end" = sigint ]; then
      for n in $(seq 100); do [ -f "$tmp/signalled" ] && break; sleep 0.02; done
    else
      pid=$(cat "$tmp/pid" 2>/dev/null)
      [ -n "$pid" ] || fail "no pid"
      kill -"${end#sig}" "$pid" 2>/dev/null
    fi
    asked=$(now_ms) ;;
  *) echo "stdin_readers.sh: unknown end $end" >&2; exit 2 ;;
esac

# The watchdog: 20 s after the end was asked for. Killed by the cleanup
# (TERM), it ends its sleep too: nothing is left holding ctest's output.
(
  exec >/dev/null 2>&1
  sleep $(((asked - $(now_ms)) / 1000 + 20)) &
  s=$!
  trap 'kill $s; exit' TERM
  wait $s
  kill -KILL "$(cat "$tmp/pid")" "$runner"
) &
pids+=($!)
wait "$runner"
status=$?
done_ms=$(now_ms)
late=$((done_ms - asked))

case $end in
  timeout) want=124 ;;
  sigint) want=130 ;;
  sigterm) want=143 ;;
esac
[ "$status" = "$want" ] || fail "exit status $status, expected $want (137: killed by the watchdog)"
[ "$late" -le "$slack_ms" ] || fail "ended $late ms after it was asked to, allowed $slack_ms ms"
# The readers did read: each line is copied to stdout once (on a terminal,
# next to its echo).
got=$(grep -c '^line [0-9]*' "$tmp/out")
[ "$got" -ge 1 ] || fail "no line was read"
echo "ok: $input, $end: status $status, $late ms after it was asked to"
