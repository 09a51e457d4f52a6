#!/usr/bin/env bash
# bench/simd.sh -- the SIMD kernels of bench/simd/, each built natively
# (gcc -O2), to wasm32-wasi without SIMD (clang-19 -O2) and with it
# (-O2 -msimd128); times ebb on both wasm builds, native, and optionally a
# peer runtime on the SIMD build. Prints median wall times and the ratios
# scalar/SIMD (ebb's SIMD speed-up), SIMD/native and ebb/peer.
#
# Usage: bench/simd.sh [--ebb PATH] [--peer "CMD"] [--runs N] [--only a,b]
#                      [--build-dir DIR]
# Every run must exit 0 with a last line "<kernel>: ... ok".
set -uo pipefail
export LC_ALL=C
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/.." && pwd)
ebb="$root/build/ebb"; peer=""; runs=5; only=""; build_dir="$root/build/bench-simd"
while [ $# -gt 0 ]; do
    case $1 in
        --ebb) ebb=$2; shift 2 ;;
        --peer) peer=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --build-dir) build_dir=$2; shift 2 ;;
        -h|--help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "bench/simd.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$build_dir"
kernels=()
for f in "$script_dir"/simd/*.c; do k=${f##*/}; kernels+=("${k%.c}"); done
[ -n "$only" ] && IFS=, read -r -a kernels <<<"$only"
wasm() { clang-19 --target=wasm32-wasi --sysroot=/usr "$@"; }
for k in "${kernels[@]}"; do
    src="$script_dir/simd/$k.c"
    gcc -O2 -w "$src" -o "$build_dir/$k.native" || exit 1
    wasm -O2 "$src" -o "$build_dir/$k.wasm" || exit 1
    wasm -O2 -msimd128 "$src" -o "$build_dir/$k.simd.wasm" || exit 1
done

now_us() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000000 + 10#${t#*.} )); }
# best K CMD...: the median wall time in ms of $runs runs (a shared
# machine's noise moves the best and the worst); aborts on a failed run
best() {
    local k=$1; shift
    local t0 t1 out ts=()
    for _ in $(seq "$runs"); do
        t0=$(now_us); out=$("$@" </dev/null 2>&1); rc=$?; t1=$(now_us)
        if [ $rc -ne 0 ] || ! [[ $(tail -n1 <<<"$out") =~ ^$k:\ .*\ ok$ ]]; then
            printf 'bench/simd.sh: FAILED: %s\n%s\n' "$*" "$out" >&2; exit 1
        fi
        ts+=($(( (t1 - t0) / 1000 )))
    done
    printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'
}
read -r -a peer_a <<<"$peer"
printf '%-10s %9s %11s %9s %12s %12s' kernel native ebb-scalar ebb-simd scalar/simd simd/native
[ -n "$peer" ] && printf ' %9s %9s' peer ebb/peer
printf '\n'
lg_s=0; lg_n=0; lg_p=0; n=0
for k in "${kernels[@]}"; do
    tn=$(best "$k" "$build_dir/$k.native") || exit 1
    ts=$(best "$k" "$ebb" run "$build_dir/$k.wasm") || exit 1
    tv=$(best "$k" "$ebb" run "$build_dir/$k.simd.wasm") || exit 1
    r1=$(awk -v a="$ts" -v b="$tv" 'BEGIN{printf "%.2f", a/b}')
    r2=$(awk -v a="$tv" -v b="$tn" 'BEGIN{printf "%.2f", a/b}')
    lg_s=$(awk -v s="$lg_s" -v r="$r1" 'BEGIN{print s+log(r)}')
    lg_n=$(awk -v s="$lg_n" -v r="$r2" 'BEGIN{print s+log(r)}')
    printf '%-10s %7sms %9sms %7sms %11sx %11sx' "$k" "$tn" "$ts" "$tv" "$r1" "$r2"
    if [ -n "$peer" ]; then
        tp=$(best "$k" "${peer_a[@]}" "$build_dir/$k.simd.wasm") || exit 1
        r3=$(awk -v a="$tv" -v b="$tp" 'BEGIN{printf "%.2f", a/b}')
        lg_p=$(awk -v s="$lg_p" -v r="$r3" 'BEGIN{print s+log(r)}')
        printf ' %7sms %8sx' "$tp" "$r3"
    fi
    printf '\n'; n=$((n + 1))
done
printf '%-10s %9s %11s %9s %11sx %11sx' geomean "" "" "" \
    "$(awk -v s="$lg_s" -v n=$n 'BEGIN{printf "%.2f", exp(s/n)}')" \
    "$(awk -v s="$lg_n" -v n=$n 'BEGIN{printf "%.2f", exp(s/n)}')"
[ -n "$peer" ] && printf ' %9s %8sx' "" "$(awk -v s="$lg_p" -v n=$n 'BEGIN{printf "%.2f", exp(s/n)}')"
printf '\n'
