#!/usr/bin/env bash
# ptymaster.sh EBB PTYHOLD READERS_WASM BLOCK_WASM CASE -- stdio that is a
# pty master (ptyhold.c holds the pty, as a terminal emulator would). ebb
# cannot get a non-blocking description of its own for it, so its reads and
# writes wait in the kernel (src/wasi/kernel_io.c); they must still end
# promptly, and leave the terminal as it was:
#   read-timeout | read-sigint | read-sigterm
#       stdin the master; eight guest threads read it (wat/stdin_readers.wat)
#       while 30 lines arrive: each line wakes all eight, one reads it, the
#       other seven wait in the kernel's read. Then --timeout 3s (status
#       124), SIGINT (130) or SIGTERM (143).
#   write-timeout | write-sigint | write-sigterm
#       stdout the master, nobody reading the terminal: the guest
#       (c/block.c write) waits in the kernel's write once the terminal's
#       buffer is full. Then --timeout 1s, SIGINT or SIGTERM.
# Each must end within SLACK_MS (2000) of when it was asked to (ptyhold
# kills it after 20 s: 137), with the exact status; the pty master's open
# file description (shared with ebb) must keep its flags and the terminal
# its termios ("mode unchanged"); a reader's stdout must hold each of the
# 30 lines exactly once.
set -u
ebb=$1 ptyhold=$2 readers=$3 block=$4 case=$5
slack_ms=${SLACK_MS:-2000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-ptym.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }
fail() {
  echo "FAIL ($case): $*"
  echo "ptyhold said:"; sed 's/^/  /' "$tmp/said"
  echo "stderr:"; sed 's/^/  /' "$tmp/err"
  exit 1
}

kind=${case%%-*} end=${case#*-}
opts=()
case $case in
  read-timeout) opts=(--timeout 3s) ;;
  write-timeout) opts=(--timeout 1s) ;;
  read-sigint | read-sigterm | write-sigint | write-sigterm) ;;
  *) echo "ptymaster.sh: unknown case $case" >&2; exit 2 ;;
esac

start=$(now_ms)
if [ "$kind" = read ]; then
  "$ptyhold" stdin 30 20 "$tmp" -- "$ebb" run "${opts[@]}" -- "$readers" \
    >"$tmp/out" 2>"$tmp/err" &
else
  "$ptyhold" stdout 0 20 "$tmp" -- "$ebb" run "${opts[@]}" -- "$block" write 16777216 \
    >"$tmp/said" 2>"$tmp/err" &
fi
holder=$!

# When to ask for the end: reads once the lines are all sent, writes once the
# guest says it writes (and has had time to fill the terminal).
ready=$([ "$kind" = read ] && echo "$tmp/sent" || echo "$tmp/pid")
for n in $(seq 1000); do
  [ -s "$ready" ] && break
  kill -0 "$holder" 2>/dev/null || break
  sleep 0.02
done
[ -s "$ready" ] || { wait "$holder"; fail "ptyhold did not start the program"; }
[ "$kind" = write ] && for n in $(seq 250); do
  grep -q '^blocking at' "$tmp/err" && break
  sleep 0.02
done
sleep 0.3
case $end in
  timeout)
    want=124
    asked=$((start + ${opts[1]%s} * 1000)) ;;
  sigint | sigterm)
    [ "$end" = sigint ] && want=130 || want=143
    asked=$(now_ms)
    kill -"${end#sig}" "$(cat "$tmp/pid")" ;;
esac
wait "$holder"
status=$?
late=$(($(now_ms) - asked))
# A reader's stdout is the lines (from the terminal: CR LF), then ptyhold's report.
if [ "$kind" = read ]; then
  tr -d '\r' <"$tmp/out" | grep -v '^line ' >"$tmp/said"
  tr -d '\r' <"$tmp/out" | grep '^line ' | sort >"$tmp/lines"
  seq 30 | sed 's/^/line /' | sort >"$tmp/want"
  diff -u "$tmp/want" "$tmp/lines" >"$tmp/diff" || fail "the lines read were not each line once: $(cat "$tmp/diff")"
fi
[ "$status" = "$want" ] || fail "exit status $status, expected $want (137: killed after 20 s)"
[ "$(cat "$tmp/said")" = "mode unchanged" ] || fail "the terminal or its description changed"
[ "$late" -le "$slack_ms" ] || fail "ended $late ms after it was asked to, allowed $slack_ms ms"
echo "ok: $case: status $status, $late ms after it was asked to, mode unchanged"
