#!/usr/bin/env bash
# node-run.sh -- `node-run.sh run [--dir H[::G]]... [--env NAME=VALUE]... [--] MODULE.wasm [ARGS...]`
# runs a WASI command module under node's node:wasi with the same command
# line as `ebb run`, so check.sh can compare ebb with node. $NODE names the
# node binary (default: node on PATH). Traps are not comparable: node exits 1.
set -u
[ "${1:-}" = run ] || { echo "usage: node-run.sh run [--dir H::G]... [--env N=V]... [--] MODULE [ARGS...]" >&2; exit 2; }
shift
here=$(cd "$(dirname "$0")" && pwd)
exec "${NODE:-node}" --no-warnings "$here/node-run.mjs" "$@"
