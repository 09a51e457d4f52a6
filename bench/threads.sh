#!/usr/bin/env bash
# bench/threads.sh [EBB] -- thread costs: spawn+join of one thread, and
# 1,000 threads blocked in wait ended by proc_exit (best of 5 wall times);
# peak RSS after 1,000 and 10,000 spawns in a row (with /usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ebb=${1:-$here/../build/ebb}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for w in spawn_join exit_1000; do
  wat2wasm --enable-threads "$here/latency/$w.wat" -o "$tmp/$w.wasm"
done
best() { # best wall time in seconds of: ebb run ARGS
  local best=
  for _ in 1 2 3 4 5; do
    local t0 t1
    t0=$(date +%s%N)
    "$ebb" run "$@" >/dev/null
    t1=$(date +%s%N)
    local d=$((t1 - t0))
    if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
  done
  echo "$best"
}
sj=$(best "$tmp/spawn_join.wasm")
ex=$(best --max-threads 1001 "$tmp/exit_1000.wasm")
if [ -x /usr/bin/time ]; then
  sed 's/(i32.const 1000)/(i32.const 10000)/' "$here/latency/spawn_join.wat" >"$tmp/spawn_10k.wat"
  wat2wasm --enable-threads "$tmp/spawn_10k.wat" -o "$tmp/spawn_10k.wasm"
  for w in spawn_join spawn_10k; do
    /usr/bin/time -f %M -o "$tmp/$w.rss" "$ebb" run "$tmp/$w.wasm" >/dev/null
  done
  echo "peak RSS after 1,000 / 10,000 spawns in a row: $(cat "$tmp/spawn_join.rss") / $(cat "$tmp/spawn_10k.rss") KiB"
else
  echo "peak RSS: skipped (no /usr/bin/time; Debian: apt-get install time)"
fi
awk -v sj="$sj" -v ex="$ex" 'BEGIN {
  printf "spawn + join, one thread (1,000 in a row):      %8.1f us\n", sj / 1000 / 1000
  printf "1,000 threads blocked in wait, ended by proc_exit: %6.1f ms in all\n", ex / 1e6
}'
