#!/usr/bin/env bash
# run.sh TESTSUITE [EBB] [run-tests options...] -- run the official WASI
# testsuite against ebb: a manual conformance check (the suite cannot be
# fetched in CI), documented in tests/wasi/README.md.
#
#   TESTSUITE  a checkout of the suite's prebuilt branch:
#                git clone --branch prod/testsuite-base \
#                  https://github.com/WebAssembly/wasi-testsuite
#   EBB        the ebb command (default: build/ebb of this repository)
#
# The suite's runner needs Python 3.12 or later with its requirements
# (test-runner/requirements.txt); PYTHON names the interpreter (default
# python3), and PYTHONPATH may point at where those are installed.
# Extra options go to run-tests (--verbose, --json-output-location FILE).
# Exit status: run-tests' (0 when every test ran passed or was skipped).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
suite=$1
shift
ebb=$here/../../build/ebb
if [ $# -ge 1 ] && [ "${1#-}" = "$1" ]; then
  ebb=$1
  shift
fi
[ -x "$suite/run-tests" ] || { echo "run.sh: $suite has no run-tests: not a wasi-testsuite checkout" >&2; exit 2; }
[ -x "$ebb" ] || { echo "run.sh: $ebb is not an executable ebb (build it: make build)" >&2; exit 2; }
ebb=$(cd "$(dirname "$ebb")" && pwd)/$(basename "$ebb")
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null ||
  { echo "run.sh: run-tests needs Python 3.12 or later; set PYTHON" >&2; exit 2; }
cd "$suite"
EBB=$ebb exec "$python" ./run-tests -r "$here/ebb.py" --disable-colors "$@"
