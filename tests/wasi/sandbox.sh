#!/usr/bin/env bash
# sandbox.sh -- stands in for `ebb run` under tests/wasm/check.sh: runs
#   $EBB_RUNNER run --dir TMP/box::/sandbox [OPTIONS] -- WASM [ARGS]
# in a fresh temporary directory TMP made for this run, with TMP/outside
# (holding secret.txt and dir/) beside the box, and afterwards fails (status
# 99) if anything outside the box changed. EBB_RUNNER is ebb, or
# node-run.sh for the differential run.
#   EBB_SEED=escape     plant the escape suite's symlinks (see c/escape.c)
#   EBB_STDIN=FILE      standard input from FILE (default: check.sh's)
#   EBB_STDIN_PIPE=1    ... through a pipe rather than as a file
set -u
[ "${1:-}" = run ] || { echo "usage: sandbox.sh run [OPTIONS] -- WASM [ARGS]" >&2; exit 2; }
shift
: "${EBB_RUNNER:?EBB_RUNNER must name ebb or node-run.sh}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-wasi.XXXXXX") || exit 1
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/box" "$tmp/outside" "$tmp/outside/dir"
printf 'top secret\n' >"$tmp/outside/secret.txt"

if [ "${EBB_SEED:-}" = escape ]; then
  b=$tmp/box
  ln -s ../outside "$b/link_out"
  ln -s "$tmp/outside" "$b/link_abs"
  ln -s chain2 "$b/chain1"
  ln -s chain3 "$b/chain2"
  ln -s ../outside "$b/chain3"
  mkdir "$b/sub" "$b/inner"
  ln -s ../.. "$b/sub/up"
  ln -s ../inner "$b/sub/inside"
  printf 'inside\n' >"$b/inner/file.txt"
  ln -s ../outside/secret.txt "$b/file_link"
  ln -s loop2 "$b/loop1"
  ln -s loop1 "$b/loop2"
  ln -s . "$b/dotlink"
fi

# Everything but the box: names, sizes, times, inodes, and the secret.
snapshot() {
  (cd "$tmp" && find . -path ./box -prune -o -print | sort | while read -r f; do
    stat -c '%n %s %y %i %a' "$f"
  done; cat outside/secret.txt)
}
before=$(snapshot)

run() { "$EBB_RUNNER" run --dir "$tmp/box::/sandbox" "$@"; }
if [ -n "${EBB_STDIN:-}" ] && [ "${EBB_STDIN_PIPE:-0}" = 1 ]; then
  cat "$EBB_STDIN" | run "$@"
  status=${PIPESTATUS[1]}
elif [ -n "${EBB_STDIN:-}" ]; then
  run "$@" <"$EBB_STDIN"
  status=$?
else
  run "$@"
  status=$?
fi

after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "sandbox.sh: something outside the sandbox changed:" >&2
  diff <(echo "$before") <(echo "$after") >&2
  exit 99
fi
exit "$status"
