#!/usr/bin/env bash
# bigwrite.sh EBB BIGWRITE_WASM MODE [LINES] -- the guest writes LINES lines
# (about 66 bytes each) to stdout; the bytes must equal the same pattern made
# by awk. MODE: file (stdout a regular file), pipe (a pipe read at once),
# slowpipe (a pipe whose reader starts late, so writes block and resume).
set -u
ebb=$1 wasm=$2 mode=$3 n=${4:-50000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-big.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "%08d the quick brown fox jumps over the lazy dog\n", i }' >"$tmp/want"
case $mode in
  file) "$ebb" run -- "$wasm" "$n" >"$tmp/got" </dev/null; status=$? ;;
  pipe) "$ebb" run -- "$wasm" "$n" </dev/null | cat >"$tmp/got"; status=${PIPESTATUS[0]} ;;
  slowpipe) "$ebb" run -- "$wasm" "$n" </dev/null | { sleep 0.3; cat; } >"$tmp/got"; status=${PIPESTATUS[0]} ;;
  *) echo "bigwrite.sh: unknown mode $mode" >&2; exit 2 ;;
esac
if [ "$status" != 0 ]; then echo "FAIL: exit status $status"; exit 1; fi
if ! cmp -s "$tmp/want" "$tmp/got"; then
  echo "FAIL: output differs: $(wc -c <"$tmp/got") bytes, expected $(wc -c <"$tmp/want")"
  cmp "$tmp/want" "$tmp/got" | head -1
  exit 1
fi
echo "ok: $(wc -c <"$tmp/got") bytes through a $mode"
