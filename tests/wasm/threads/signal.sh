#!/usr/bin/env bash
# signal.sh EBB WASM SIGNAL DELAY STATUS [ARGS...] -- start `EBB run WASM ARGS`, send it
# SIGNAL after DELAY seconds, and expect exit STATUS. The program must end
# by itself after the signal (ctest's timeout catches one that does not).
set -u
ebb=$1 wasm=$2 sig=$3 delay=$4 want=$5
shift 5
"$ebb" run "$wasm" "$@" &
pid=$!
sleep "$delay"
kill -s "$sig" "$pid"
wait "$pid"
got=$?
if [ "$got" != "$want" ]; then
  echo "FAIL: $wasm after SIG$sig: exit $got, want $want" >&2
  exit 1
fi
echo "ok: $wasm after SIG$sig: exit $got"
