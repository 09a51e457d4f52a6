#!/usr/bin/env bash
# bench/run.sh -- build the benchmark kernels natively and to WebAssembly,
# run them under ebb (and optionally a peer runtime), print a timing table.
#
# Usage: bench/run.sh [options]
#   --ebb PATH          ebb binary (default: <repo>/build/ebb)
#   --ebb-args "ARGS"   extra arguments for ebb, placed before the module:
#                       $EBB run ARGS kernel.wasm
#   --peer "CMD"        also time a peer runtime, invoked as: CMD kernel.wasm
#   --runs N            runs per kernel and runtime; the best is kept (default 3)
#   --only NAME[,NAME]  run only these kernels (may be repeated)
#   --build-dir DIR     where binaries go (default: <repo>/build/bench)
#   --no-ebb            skip ebb (time native and peer only)
#   --list              list the kernels and exit
#   -h, --help          this help
# Environment: NATIVE_CC (default gcc), NATIVE_CFLAGS (default -O2),
#   WASM_CC (default clang-19), WASM_CFLAGS (default -O2),
#   WASM_SYSROOT (default /usr).
#
# Every run must exit with status 0 and print a last line "<kernel>: ... ok";
# anything else aborts the whole run with the kernel's output shown.

set -uo pipefail
export LC_ALL=C

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/.." && pwd)
kernel_dir="$script_dir/kernels"

ebb="$root/build/ebb"
ebb_args=""
peer=""
runs=3
only=()
build_dir="$root/build/bench"
use_ebb=1
list_only=0

NATIVE_CC=${NATIVE_CC:-gcc}
NATIVE_CFLAGS=${NATIVE_CFLAGS:--O2}
WASM_CC=${WASM_CC:-clang-19}
WASM_CFLAGS=${WASM_CFLAGS:--O2}
WASM_SYSROOT=${WASM_SYSROOT:-/usr}

die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

need_arg() { [ $# -ge 2 ] || die "option $1 needs an argument"; }
while [ $# -gt 0 ]; do
    case $1 in
        --ebb) need_arg "$@"; ebb=$2; shift 2 ;;
        --ebb=*) ebb=${1#*=}; shift ;;
        --ebb-args) need_arg "$@"; ebb_args=$2; shift 2 ;;
        --ebb-args=*) ebb_args=${1#*=}; shift ;;
        --peer) need_arg "$@"; peer=$2; shift 2 ;;
        --peer=*) peer=${1#*=}; shift ;;
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --only) need_arg "$@"; IFS=, read -r -a o <<<"$2"; only+=("${o[@]}"); shift 2 ;;
        --only=*) IFS=, read -r -a o <<<"${1#*=}"; only+=("${o[@]}"); shift ;;
        --build-dir) need_arg "$@"; build_dir=$2; shift 2 ;;
        --build-dir=*) build_dir=${1#*=}; shift ;;
        --no-ebb) use_ebb=0; shift ;;
        --list) list_only=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done

case $runs in ''|*[!0-9]*|0) die "--runs needs a positive integer, got '$runs'" ;; esac

# ---- kernels ---------------------------------------------------------------
all=()
for f in "$kernel_dir"/*.c; do
    [ -e "$f" ] || continue
    k=${f##*/}; all+=("${k%.c}")
done
[ ${#all[@]} -gt 0 ] || die "no kernels found in $kernel_dir"
if [ $list_only = 1 ]; then printf '%s\n' "${all[@]}"; exit 0; fi

kernels=()
if [ ${#only[@]} -gt 0 ]; then
    for k in "${only[@]}"; do
        [ -f "$kernel_dir/$k.c" ] || die "no kernel '$k' (have: ${all[*]})"
        kernels+=("$k")
    done
else
    kernels=("${all[@]}")
fi

# ---- runtimes --------------------------------------------------------------
read -r -a ebb_args_a <<<"$ebb_args"
read -r -a peer_a <<<"$peer"
use_peer=0; [ ${#peer_a[@]} -gt 0 ] && use_peer=1

if [ $use_ebb = 1 ]; then
    [ -x "$ebb" ] || die "ebb not found at '$ebb': build it first, or pass --ebb PATH (or --no-ebb)"
fi
if [ $use_peer = 1 ]; then
    command -v "${peer_a[0]}" >/dev/null 2>&1 || die "peer command '${peer_a[0]}' not found"
fi

# ---- toolchain: install what is missing (Debian) ---------------------------
wasm_pkgs=(clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32)
probe_dir=$(mktemp -d "${TMPDIR:-/tmp}/ebb-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$probe_dir"' EXIT

wasm_toolchain_ok() {
    command -v "$WASM_CC" >/dev/null 2>&1 || return 1
    printf '#include <stdio.h>\nint main(void){puts("x");return 0;}\n' >"$probe_dir/p.c"
    "$WASM_CC" --target=wasm32-wasi --sysroot="$WASM_SYSROOT" -O2 \
        "$probe_dir/p.c" -o "$probe_dir/p.wasm" >/dev/null 2>&1
}

missing=()
command -v "$NATIVE_CC" >/dev/null 2>&1 || {
    [ "$NATIVE_CC" = gcc ] || die "native compiler '$NATIVE_CC' not found"
    missing+=(gcc libc6-dev)
}
if ! wasm_toolchain_ok; then
    [ "$WASM_CC" = clang-19 ] || die "'$WASM_CC' cannot build wasm32-wasi programs (sysroot $WASM_SYSROOT)"
    missing+=("${wasm_pkgs[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        printf 'bench: installing %s\n' "${missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 ||
            { DEBIAN_FRONTEND=noninteractive apt-get update >&2 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; } ||
            die "apt-get install ${missing[*]} failed"
        wasm_toolchain_ok || die "wasm32-wasi toolchain still not working after install"
    else
        die "missing toolchain; as root run: apt-get install -y ${missing[*]}"
    fi
fi

# ---- build -----------------------------------------------------------------
mkdir -p "$build_dir" || die "cannot create build dir '$build_dir'"
build_dir=$(cd "$build_dir" && pwd)

# rebuild when the output is missing or older than its source or this script,
# or when the compilers or flags changed since the last build
stamp="$build_dir/.toolchain"
want="$NATIVE_CC $NATIVE_CFLAGS | $WASM_CC $WASM_CFLAGS $WASM_SYSROOT"
rebuild_all=0
[ "$(cat "$stamp" 2>/dev/null)" = "$want" ] || rebuild_all=1
stale() { [ $rebuild_all = 1 ] || [ ! -e "$2" ] || [ "$1" -nt "$2" ] || [ "${BASH_SOURCE[0]}" -nt "$2" ]; }

for k in "${kernels[@]}"; do
    src="$kernel_dir/$k.c"
    if stale "$src" "$build_dir/$k.native"; then
        "$NATIVE_CC" $NATIVE_CFLAGS "$src" -o "$build_dir/$k.native" ||
            die "native build of $k failed"
    fi
    if stale "$src" "$build_dir/$k.wasm"; then
        # a kernel may add flags of its own: a line "/* bench: wasm-cflags ... */"
        extra=$(sed -n 's|^/\* bench: wasm-cflags \(.*\) \*/$|\1|p' "$src")
        "$WASM_CC" --target=wasm32-wasi --sysroot="$WASM_SYSROOT" $WASM_CFLAGS $extra \
            "$src" -o "$build_dir/$k.wasm" || die "wasm build of $k failed"
    fi
done
printf '%s\n' "$want" >"$stamp"

# ---- timing ----------------------------------------------------------------
# now_us: wall clock in microseconds (no fork when bash has EPOCHREALTIME)
if [ -n "${EPOCHREALTIME:-}" ]; then
    now_us() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000000 + 10#${t#*.} )); }
else
    now_us() { local t; t=$(date +%s%N); echo $(( t / 1000 )); }
fi

out="$probe_dir/out"
err="$probe_dir/err"

# time_once KERNEL LABEL CMD... -> prints elapsed microseconds; aborts on failure
time_once() {
    local k=$1 label=$2; shift 2
    local t0 t1 rc last
    t0=$(now_us)
    "$@" >"$out" 2>"$err" </dev/null
    rc=$?
    t1=$(now_us)
    last=$(tail -n 1 "$out")
    if [ $rc -ne 0 ] || ! [[ $last =~ ^$k:\ .*\ ok$ ]]; then
        {
            if [ $rc -ne 0 ]; then
                printf '\nbench: FAILED: kernel %s under %s: exit status %d\n' "$k" "$label" "$rc"
            else
                printf '\nbench: FAILED: kernel %s under %s: last line of output is not "%s: ... ok"\n' \
                    "$k" "$label" "$k"
            fi
            printf 'bench: command: %s\n' "$*"
            printf -- '--- stdout ---\n'; cat "$out"
            printf -- '--- stderr ---\n'; cat "$err"
            printf -- '--------------\n'
        } >&2
        exit 1
    fi
    echo $(( t1 - t0 ))
}

# best_of KERNEL LABEL CMD... -> prints best time in seconds
best_of() {
    local best=-1 i t
    for (( i = 0; i < runs; i++ )); do
        t=$(time_once "$@") || exit 1
        if [ $best -lt 0 ] || [ "$t" -lt $best ]; then best=$t; fi
    done
    awk -v us="$best" 'BEGIN { printf "%.4f", us / 1e6 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "nan" }'; }

# geomean of the positive numbers given
geomean() {
    printf '%s\n' "$@" | awk '$1 > 0 { s += log($1); n++ }
        END { if (n) printf "%.2f", exp(s / n); else printf "-" }'
}

# ---- run -------------------------------------------------------------------
printf 'ebb benchmarks: best of %d run(s), wall time in seconds\n' "$runs"
[ $use_ebb = 1 ] && printf '  ebb:    %s run %s<kernel>.wasm\n' "$ebb" "${ebb_args:+$ebb_args }"
[ $use_peer = 1 ] && printf '  peer:   %s <kernel>.wasm\n' "$peer"
printf '  native: %s %s\n' "$NATIVE_CC" "$NATIVE_CFLAGS"
printf '  wasm:   %s --target=wasm32-wasi %s\n\n' "$WASM_CC" "$WASM_CFLAGS"

hdr=$(printf '%-10s' kernel)
[ $use_ebb = 1 ] && hdr+=$(printf ' %10s' "ebb")
[ $use_peer = 1 ] && hdr+=$(printf ' %10s' "peer")
hdr+=$(printf ' %10s' "native")
[ $use_ebb = 1 ] && hdr+=$(printf ' %11s' "ebb/native")
[ $use_peer = 1 ] && hdr+=$(printf ' %12s' "peer/native")
[ $use_ebb = 1 ] && [ $use_peer = 1 ] && hdr+=$(printf ' %9s' "ebb/peer")
printf '%s\n' "$hdr"
printf '%s\n' "$(printf '%s' "$hdr" | tr -c '\n' '-')"

r_en=(); r_pn=(); r_ep=()
for k in "${kernels[@]}"; do
    wasm="$build_dir/$k.wasm"
    row=$(printf '%-10s' "$k")
    t_ebb=0; t_peer=0
    if [ $use_ebb = 1 ]; then
        t_ebb=$(best_of "$k" ebb "$ebb" run "${ebb_args_a[@]}" "$wasm") || exit 1
        row+=$(printf ' %10s' "$t_ebb")
    fi
    if [ $use_peer = 1 ]; then
        t_peer=$(best_of "$k" peer "${peer_a[@]}" "$wasm") || exit 1
        row+=$(printf ' %10s' "$t_peer")
    fi
    t_nat=$(best_of "$k" native "$build_dir/$k.native") || exit 1
    row+=$(printf ' %10s' "$t_nat")
    if [ $use_ebb = 1 ]; then
        r=$(ratio "$t_ebb" "$t_nat"); r_en+=("$r"); row+=$(printf ' %10sx' "$r")
    fi
    if [ $use_peer = 1 ]; then
        r=$(ratio "$t_peer" "$t_nat"); r_pn+=("$r"); row+=$(printf ' %11sx' "$r")
    fi
    if [ $use_ebb = 1 ] && [ $use_peer = 1 ]; then
        r=$(ratio "$t_ebb" "$t_peer"); r_ep+=("$r"); row+=$(printf ' %8sx' "$r")
    fi
    printf '%s\n' "$row"
done

if [ $use_ebb = 1 ] || [ $use_peer = 1 ]; then
    printf '%s\n' "$(printf '%s' "$hdr" | tr -c '\n' '-')"
    row=$(printf '%-10s' geomean)
    [ $use_ebb = 1 ] && row+=$(printf ' %10s' "")
    [ $use_peer = 1 ] && row+=$(printf ' %10s' "")
    row+=$(printf ' %10s' "")
    [ $use_ebb = 1 ] && row+=$(printf ' %10sx' "$(geomean "${r_en[@]}")")
    [ $use_peer = 1 ] && row+=$(printf ' %11sx' "$(geomean "${r_pn[@]}")")
    [ $use_ebb = 1 ] && [ $use_peer = 1 ] && row+=$(printf ' %8sx' "$(geomean "${r_ep[@]}")")
    printf '%s\n' "$row"
fi
printf '\nall %d kernel(s) ok\n' "${#kernels[@]}"
