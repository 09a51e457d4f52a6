#!/usr/bin/env bash
# bench/mail.sh [BUILD_DIR] [ARGS...] -- run the mailbox and suspension
# benchmark (bench/mail/) from a build directory (default: build/ under the
# repo root); it builds nothing: `cmake --build BUILD_DIR --target ebb_mail`
# first. ARGS go to the binary: [POSTS [ROUND_TRIPS [ROUNDS]]].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
bin=$build/bench/ebb_mail
if [ ! -x "$bin" ]; then
  echo "mail.sh: no $bin: build it first (cmake --build $build --target ebb_mail)" >&2
  exit 1
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$bin" "$@"
