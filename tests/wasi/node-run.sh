#!/usr/bin/env bash
# node-run.sh -- `node-run.sh run [--dir H::G]... [--env N=V]... [--] MODULE [ARGS...]`
# under node:wasi (node-run.mjs), for the differential runs. $NODE names node.
set -u
[ "${1:-}" = run ] || { echo "usage: node-run.sh run [OPTIONS] [--] MODULE [ARGS...]" >&2; exit 2; }
shift
here=$(cd "$(dirname "$0")" && pwd)
exec "${NODE:-node}" --no-warnings "$here/node-run.mjs" "$@"
