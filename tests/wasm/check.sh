#!/usr/bin/env bash
# check.sh -- run one guest program and compare what it does with what is
# expected.
#
#   check.sh EBB WASM EXPECTED_STATUS EXPECTED_STDOUT_FILE [EXPECTED_STDERR_SUBSTRING] \
#            -- [RUN_OPTIONS...] [--] [GUEST_ARGS...]
#
# Runs `EBB run RUN_OPTIONS -- WASM GUEST_ARGS`. RUN_OPTIONS are the leading
# arguments after the first `--` that start with `-` (with the value of
# `--env`); a second `--` ends them explicitly, so guest arguments may start
# with `-`. Passes when stdout equals EXPECTED_STDOUT_FILE byte for byte
# (/dev/null for none), the exit status equals EXPECTED_STATUS and, when
# given, stderr contains EXPECTED_STDERR_SUBSTRING. On failure prints a diff
# of stdout and the whole of stderr. EBB may be any command that takes
# `run [OPTIONS] -- WASM [ARGS]` (tests/wasm/node-run.sh for the
# differential run under node).
set -u

usage() {
  echo "usage: check.sh EBB WASM STATUS STDOUT_FILE [STDERR_SUBSTRING] -- [OPTIONS...] [--] [ARGS...]" >&2
  exit 2
}

[ $# -ge 4 ] || usage
ebb=$1 wasm=$2 want_status=$3 want_stdout=$4
shift 4
want_stderr=
have_stderr_check=0
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  want_stderr=$1
  have_stderr_check=1
  shift
fi
if [ $# -gt 0 ]; then
  [ "$1" = "--" ] || usage
  shift
fi

opts=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; break ;;
    --env) [ $# -ge 2 ] || usage; opts+=("$1" "$2"); shift 2 ;;
    -*) opts+=("$1"); shift ;;
    *) break ;;
  esac
done

[ -f "$wasm" ] || { echo "check.sh: no such module: $wasm" >&2; exit 1; }
[ -r "$want_stdout" ] || { echo "check.sh: cannot read $want_stdout" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

"$ebb" run "${opts[@]}" -- "$wasm" "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
status=$?

fail=0
show_cmd() { printf 'command:'; printf ' %q' "$ebb" run "${opts[@]}" -- "$wasm" "$@"; echo; }
if ! cmp -s "$tmp/stdout" "$want_stdout"; then
  echo "FAIL: stdout differs from $want_stdout (--- expected, +++ actual):"
  diff -u "$want_stdout" "$tmp/stdout" | sed 's/^/  /'
  fail=1
fi
if [ "$status" != "$want_status" ]; then
  echo "FAIL: exit status $status, expected $want_status"
  fail=1
fi
if [ "$have_stderr_check" = 1 ] && ! grep -qF -- "$want_stderr" "$tmp/stderr"; then
  echo "FAIL: stderr does not contain: $want_stderr"
  fail=1
fi
if [ "$fail" = 1 ]; then
  show_cmd "$@"
  echo "stderr:"
  sed 's/^/  /' "$tmp/stderr"
  exit 1
fi
echo "ok: status $status, $(wc -c <"$tmp/stdout") bytes of stdout as expected"
exit 0
