#!/usr/bin/env bash
# graceful.sh EBB GRACEFUL_WASM CASE -- examples/graceful.c under
# `ebb run --grace 5s`, its standard input a FIFO that this script holds
# open. It writes "alpha\nbeta\ngam" in one write, waits until the guest has
# echoed the two whole lines (it is then blocked in fd_read), and then:
#   term  sends SIGTERM: the read returns EINTR, the guest echoes its
#         unfinished line, says "got signal 15 ..." and exits 0, before the
#         grace period is over (at its end ebb would exit 143)
#   int   the same with SIGINT (signal 2)
#   eof   closes the FIFO: "end of input ...", 0
# Fails if ebb has not exited after LIMIT seconds.
set -u
ebb=$1 wasm=$2 case=$3
LIMIT=10
tmp=$(mktemp -d)
trap 'exec 3>&-; rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $case: $*" >&2
  echo "--- stdout:" >&2
  cat "$tmp/out" >&2
  echo "--- stderr:" >&2
  cat "$tmp/err" >&2
  [ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null
  exit 1
}

mkfifo "$tmp/in"
: >"$tmp/out"
: >"$tmp/err"
# The shell opens the FIFO for ebb's stdin before running it; that open
# waits for ours, for writing.
"$ebb" run --grace 5s "$wasm" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"
printf 'alpha\nbeta\ngam' >&3

for ((i = 0; i < LIMIT * 20; i++)); do
  [ "$(wc -l <"$tmp/out")" -ge 2 ] && break
  sleep 0.05
done
[ "$(wc -l <"$tmp/out")" -ge 2 ] || fail "the guest did not echo the first two lines"

case $case in
term) kill -TERM "$pid"; last="got signal 15 after 3 lines (14 bytes); bye" ;;
int) kill -INT "$pid"; last="got signal 2 after 3 lines (14 bytes); bye" ;;
eof) exec 3>&-; last="end of input after 3 lines (14 bytes); bye" ;;
*) echo "unknown case $case" >&2; exit 2 ;;
esac

got=hung
for ((i = 0; i < LIMIT * 20; i++)); do
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    got=$?
    break
  fi
  sleep 0.05
done
[ "$got" = 0 ] || fail "exit status $got, want 0"
printf '1: alpha\n2: beta\n3: gam (unfinished)\n%s\n' "$last" >"$tmp/want"
diff -u "$tmp/want" "$tmp/out" >&2 || fail "unexpected output"
[ -s "$tmp/err" ] && fail "unexpected stderr"
echo "ok: $case"
