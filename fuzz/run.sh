#!/usr/bin/env bash
# fuzz/run.sh -- build the fuzz targets, replay the regressions and the seed
# corpus, then fuzz each target for a bounded time. A crash, leak, timeout or
# out-of-memory input is copied into fuzz/regressions/<target>/ (kept
# forever, replayed by every later run) and the script fails.
#
#   fuzz/run.sh [-j JOBS] [--replay] [TARGET...]
#
#   FUZZ_SECONDS  seconds of fuzzing per target (default 60; 0: replay only)
#   FUZZ_SEED     libFuzzer's random seed (default: a new one each run; the
#                 summary prints it, and a finding's input in base64, so a
#                 CI failure can be reproduced from its log alone)
#   -j JOBS       targets fuzzed at once (default FUZZ_JOBS or nproc)
#   --replay      no libFuzzer: build plain replay binaries with $CC (default
#                 gcc) and ASan+UBSan, and only replay regressions and seeds
#   TARGET        fuzz_decode, fuzz_run, fuzz_diff, fuzz_path, fuzz_api (default: all)
#
# Everything it builds and writes goes to build-fuzz/ (FUZZ_BUILD), except
# new regressions. The grown corpus stays in build-fuzz/corpus/<target>/, so
# local runs continue where the last one stopped.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_BUILD:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
clang=${FUZZ_CLANG:-clang-19}
spec=${EBB_SPEC_DIR:-$root/../shared/spec}
replay=0
targets=()
while (($#)); do
  case $1 in
  -j) jobs=$2; shift 2 ;;
  -j*) jobs=${1#-j}; shift ;;
  --replay) replay=1; shift ;;
  -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
  -*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
  *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=(fuzz_decode fuzz_run fuzz_diff fuzz_path fuzz_api)

sources() { # the C files of a target
  echo "$root/fuzz/$1.c $root/fuzz/common.c"
  [ "$1" != fuzz_diff ] || echo "$root/fuzz/diff_gen.c $root/fuzz/diff_ref.c"
  [ "$1" != fuzz_api ] || echo "$root/fuzz/fuzz_api_model.c $root/fuzz/fuzz_api_race.c"
}

# ---- Build ---------------------------------------------------------------------
# A target's own module, fuzz/<target>.wat, becomes $out/wat/<target>.wat.h
# (`static const unsigned char <target>_wasm[]`), as unit tests' modules do.
wat_headers() {
  local t f
  mkdir -p "$out/wat"
  for t in "${targets[@]}"; do
    f=$root/fuzz/$t.wat
    [ -f "$f" ] || continue
    wat2wasm --enable-threads "$f" -o "$out/wat/$t.wasm"
    cmake -DIN="$out/wat/$t.wasm" -DOUT="$out/wat/$t.wat.h" -DNAME="$t" \
      -P "$root/cmake/wat_header.cmake"
  done
}
wat_headers
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
warn="-Wall -Wextra -Wno-unused-parameter -Werror"
if ((replay)); then
  cc=${CC:-gcc}
  bin=$out/replay
  cmake -S "$root" -B "$bin/lib" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DEBB_ENABLE_ASAN=ON >/dev/null
  cmake --build "$bin/lib" -j "$jobs" --target ebb_static >/dev/null
  for t in "${targets[@]}"; do
    # shellcheck disable=SC2046
    $cc -std=gnu11 -g -O1 $san $warn -I"$root/include" -I"$root/src" -I"$out/wat" $(sources "$t") \
      "$root/fuzz/replay_main.c" "$bin/lib/libebb.a" -lpthread -lm -o "$bin/$t"
  done
else
  if ! echo 'int LLVMFuzzerTestOneInput(const char*d,long n){return 0;}' |
    $clang -x c - -fsanitize=fuzzer -o "$out.probe" 2>/dev/null; then
    echo "fuzz/run.sh: $clang cannot link libFuzzer (Debian: apt-get install libclang-rt-19-dev)" >&2
    exit 1
  fi
  rm -f "$out.probe"
  bin=$out
  cmake -S "$root" -B "$out/lib" -DCMAKE_C_COMPILER="$clang" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link $san" >/dev/null
  cmake --build "$out/lib" -j "$jobs" --target ebb_static >/dev/null
  for t in "${targets[@]}"; do
    # shellcheck disable=SC2046
    $clang -g -O1 -fsanitize=fuzzer $san $warn -I"$root/include" -I"$root/src" -I"$out/wat" $(sources "$t") \
      "$out/lib/libebb.a" -lpthread -lm -o "$bin/$t"
  done
fi

# ---- Seeds: the spec suite's binaries (linked, not copied) and our .wat files ----
seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "$seeds/wasm"
if [ -d "$spec/core" ]; then
  for f in "$spec"/core/*/*.wasm; do
    d=${f%/*}
    ln -s "$f" "$seeds/wasm/${d##*/}_${f##*/}"
  done
else
  echo "fuzz/run.sh: no spec suite at $spec; seeding from .wat files only" >&2
fi
if command -v wat2wasm >/dev/null; then
  for f in "$root"/tests/unit/*/*.wat "$root"/tests/wasm/wat/*.wat "$root"/tests/wasm/hostile/*.wat \
    "$root"/tests/wasm/run/*.wat "$root"/tests/wasm/threads/*.wat; do
    [ -f "$f" ] || continue
    n=${f#"$root"/tests/}
    wat2wasm --enable-all "$f" -o "$seeds/wasm/wat_${n//\//_}.wasm" 2>/dev/null || true
  done
  # A target's own seeds in the text format: fuzz/seeds/<target>/*.wat.
  for d in "$root"/fuzz/seeds/*/; do
    t=$(basename "$d")
    mkdir -p "$seeds/$t"
    for f in "$d"*.wat; do
      [ -f "$f" ] || continue
      n=$(basename "$f" .wat)
      wat2wasm --enable-all "$f" -o "$seeds/$t/$n.wasm" 2>/dev/null || true
    done
  done
fi
seed_dirs() { # the seed directories of a target
  case $1 in fuzz_diff | fuzz_path | fuzz_api) ;; *) echo "$seeds/wasm" ;; esac
  [ ! -d "$seeds/$1" ] || echo "$seeds/$1"
  [ ! -d "$root/fuzz/corpus/$1" ] || echo "$root/fuzz/corpus/$1"
}

# ---- Replay and fuzz one target --------------------------------------------------
# libFuzzer flags: a timeout well above any legitimate input (fuzz_run bounds
# each call with its watchdog), and a per-allocation limit that makes "a
# hostile size made ebb allocate a lot" a finding.
flags=(-timeout=25 -rss_limit_mb=2560 -malloc_limit_mb=512 -print_final_stats=1)
[ -z "${FUZZ_SEED:-}" ] || flags+=("-seed=$FUZZ_SEED")

run_target() {
  local t=$1 regs=$root/fuzz/regressions/$1 art=$out/artifacts/$1
  local -a files=() extra=()
  # The generator makes bigger programs from longer inputs than its seeds.
  [ "$t" != fuzz_diff ] || extra=(-max_len=4096)
  # WASI programs write to stdout and stderr: keep them out of the log
  # (findings are still reported, on a copy of stderr made first).
  [ "$t" != fuzz_run ] || extra=(-close_fd_mask=3)
  # A program of operations needs a few dozen bytes to reach a state worth
  # checking: no slow growth from tiny inputs.
  [ "$t" != fuzz_api ] || extra=(-max_len=512 -len_control=0)
  rm -rf "$art"
  mkdir -p "$art" "$out/corpus/$t"
  [ ! -d "$regs" ] || mapfile -t files < <(find "$regs" -type f ! -name '*.md' | sort)
  if ((replay)); then
    # shellcheck disable=SC2046
    "$bin/$t" "${files[@]}" $(seed_dirs "$t") </dev/null
    return
  fi
  if ((${#files[@]})); then
    echo "== $t: replaying ${#files[@]} regressions"
    "$bin/$t" "${flags[@]}" -runs=1 "${files[@]}" </dev/null || return 1
  fi
  echo "== $t: seeds, then fuzzing for ${seconds}s"
  # shellcheck disable=SC2046
  if ! FUZZ_DIFF_DUMP=$art/mismatch.wasm "$bin/$t" "${flags[@]}" "${extra[@]}" -max_total_time="$seconds" -artifact_prefix="$art/" \
    $( ((seconds > 0)) || echo -runs=0) "$out/corpus/$t" $(seed_dirs "$t") </dev/null; then
    mkdir -p "$regs"
    local f
    for f in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
      [ -f "$f" ] || continue
      cp "$f" "$regs/"
      echo "== $t: FOUND ${f##*/}: copied to fuzz/regressions/$t/ (reproduce: $bin/$t $regs/${f##*/})"
      echo "== $t: ${f##*/} in base64: $(base64 -w0 "$f")"
    done
    return 1
  fi
}

status=$out/status
rm -rf "$status"
mkdir -p "$status" "$out/logs"
start=$SECONDS
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  (
    if run_target "$t" >"$out/logs/$t.log" 2>&1; then touch "$status/$t.ok"; fi
    grep -h -E '^== |^INFO: Seed:|stat::number_of_executed_units|stat::average_exec_per_sec|FUZZ FINDING|^SUMMARY|replayed' \
      "$out/logs/$t.log" | sed "s/^/[$t] /" || true
  ) &
done
wait
failed=()
for t in "${targets[@]}"; do [ -f "$status/$t.ok" ] || failed+=("$t"); done
echo "fuzz/run.sh: ${#targets[@]} targets in $((SECONDS - start))s; logs in ${out#"$root"/}/logs/"
if ((${#failed[@]})); then
  echo "fuzz/run.sh: FAILED: ${failed[*]} (see ${out#"$root"/}/logs/<target>.log)" >&2
  exit 1
fi
