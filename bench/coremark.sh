#!/usr/bin/env bash
# bench/coremark.sh -- EEMBC CoreMark under ebb, natively and under peer
# runtimes: Iterations/Sec of each (median of --runs), and ebb's score over
# each one's.
#
# CoreMark is built here at benchmark time, outside the repository, from a
# pinned commit of github.com/eembc/coremark: it is never vendored. The source
# is an existing checkout given as COREMARK_SRC=DIR, or a clone in the cache
# directory (made with `git clone` when missing). Either way the commit and
# the files compiled are checked against the pinned ones.
#
# Usage: bench/coremark.sh [options]
#   --ebb PATH            ebb binary (default: <repo>/build/ebb, built with
#                         cmake if missing)
#   --peer "CMD"          also run a peer runtime as: CMD coremark.wasm ARGS;
#                         repeatable (e.g. --peer wasm3
#                         --peer "node bench/node-wasi.mjs")
#   --runs N              runs per runtime; the median score is kept (default 3)
#   --iterations N        CoreMark iterations per run (default 20000: about
#                         12 s under ebb on a 2-vCPU VM)
#   --native-iterations N iterations of the native run (default: --iterations)
#   --no-native           skip the native build and run
#   --no-ebb              skip ebb (native and peers only)
#   --cache DIR           where the source clone and the builds go (default:
#                         ${XDG_CACHE_HOME:-$HOME/.cache}/ebb-bench/coremark)
#   -h, --help            this help
# Environment: COREMARK_SRC (an existing checkout at the pinned commit; it is
#   only read), NATIVE_CC (gcc), NATIVE_CFLAGS (-O2), WASM_CC (clang-19),
#   WASM_CFLAGS (-O2), WASM_SYSROOT (/usr).
#
# Each run is CoreMark's 2K performance run (seeds 0 0 0x66) with N
# iterations: `coremark 0 0 0x66 N`. A run counts only if it exits with 0,
# CoreMark reports the performance run's seed CRC (0xe9f5) and its list,
# matrix and state CRCs (0xe714, 0x1fd7, 0x8e3a), and prints no error other
# than "Must execute for at least 10 secs": CoreMark's reporting rules want a
# run of 10 s or more, which the table marks (column "10 s"); a shorter run
# still computes and checks everything. Anything else stops the script with
# the run's output.

set -euo pipefail
export LC_ALL=C

COREMARK_REPO=https://github.com/eembc/coremark.git
COREMARK_COMMIT=d5fad6bd094899101a4e5fd53af7298160ced6ab
# sha256 of the files compiled, at that commit
COREMARK_FILES=(core_list_join.c core_main.c core_matrix.c core_state.c core_util.c
                posix/core_portme.c)
COREMARK_SHA256="\
ca00e4e010ece47d7f040cb92aa50a95345a00d3171b59d088f6b243be06ce7b  core_list_join.c
17884c93c5b94378eb0ff02b4df3725756cf2addb9b8cbcaa6200a4649ff5ca7  core_main.c
ecdff717b5a5c4907d221a606760e25499899cbf617582c05d40db71c91351e4  core_matrix.c
f4b84bb0a3452c45a4daa664ab502bfdccbd31cb57d93e9ac490c60937717a4e  core_state.c
a3fbfcb9bb943b638624b8ece01c5836dd56a96d7bcde2697b248d077447327f  core_util.c
29f7eb0f0bdf6002f6c7dccfa4f8f9f32c0b8f6709f6538c2b73221938a9c8f1  coremark.h
f2b48f062058d528a5907e339ffd05d98f64d59e7c40d500fe05563eb5247ad0  posix/core_portme.c
a40e90ef4c5a5626d438afee1f8da628c2800105d4c3b5318e8810b34be554f2  posix/core_portme.h
1dc67b5c1b9c773cccc740b911d708333d3bf154c3313f77b8a52e18209eda59  posix/core_portme_posix_overrides.h"
# what CoreMark's 2K performance run must report
SEED_CRC=0xe9f5 LIST_CRC=0xe714 MATRIX_CRC=0x1fd7 STATE_CRC=0x8e3a

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/.." && pwd)

ebb=""
peers=()
runs=3
iterations=20000
native_iterations=""
use_native=1
use_ebb=1
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ebb-bench/coremark"

NATIVE_CC=${NATIVE_CC:-gcc}
NATIVE_CFLAGS=${NATIVE_CFLAGS:--O2}
WASM_CC=${WASM_CC:-clang-19}
WASM_CFLAGS=${WASM_CFLAGS:--O2}
WASM_SYSROOT=${WASM_SYSROOT:-/usr}

die() { printf 'coremark: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'coremark: %s\n' "$*" >&2; }
usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
need_arg() { [ $# -ge 2 ] || die "option $1 needs an argument"; }
positive() { case $2 in ''|*[!0-9]*|0) die "$1 needs a positive integer, got '$2'" ;; esac; }

while [ $# -gt 0 ]; do
    case $1 in
        --ebb) need_arg "$@"; ebb=$2; shift 2 ;;
        --ebb=*) ebb=${1#*=}; shift ;;
        --peer) need_arg "$@"; peers+=("$2"); shift 2 ;;
        --peer=*) peers+=("${1#*=}"); shift ;;
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --iterations) need_arg "$@"; iterations=$2; shift 2 ;;
        --iterations=*) iterations=${1#*=}; shift ;;
        --native-iterations) need_arg "$@"; native_iterations=$2; shift 2 ;;
        --native-iterations=*) native_iterations=${1#*=}; shift ;;
        --no-native) use_native=0; shift ;;
        --no-ebb) use_ebb=0; shift ;;
        --cache) need_arg "$@"; cache=$2; shift 2 ;;
        --cache=*) cache=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
positive --runs "$runs"
positive --iterations "$iterations"
native_iterations=${native_iterations:-$iterations}
positive --native-iterations "$native_iterations"

# ---- ebb ---------------------------------------------------------------------
if [ $use_ebb = 1 ]; then
    if [ -z "$ebb" ]; then
        ebb="$root/build/ebb"
        if [ ! -x "$ebb" ]; then
            say "no $ebb: building it (Release)"
            cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >&2 &&
                cmake --build "$root/build" -j2 --target ebb >&2 || die "building ebb failed"
        fi
    fi
    [ -x "$ebb" ] || die "ebb not found at '$ebb'"
fi
for p in "${peers[@]}"; do
    read -r -a pa <<<"$p"
    [ ${#pa[@]} -gt 0 ] || die "empty --peer"
    command -v "${pa[0]}" >/dev/null 2>&1 || die "peer command '${pa[0]}' not found"
done

# ---- toolchain (Debian: installed with apt-get when root) -------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/ebb-coremark.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
wasm_toolchain_ok() {
    command -v "$WASM_CC" >/dev/null 2>&1 || return 1
    printf 'int main(void){return 0;}\n' >"$work/p.c"
    "$WASM_CC" --target=wasm32-wasi --sysroot="$WASM_SYSROOT" -O2 "$work/p.c" -o "$work/p.wasm" \
        >/dev/null 2>&1
}
missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
if [ $use_native = 1 ] && ! command -v "$NATIVE_CC" >/dev/null 2>&1; then
    [ "$NATIVE_CC" = gcc ] || die "native compiler '$NATIVE_CC' not found"
    missing+=(gcc libc6-dev)
fi
if ! wasm_toolchain_ok; then
    [ "$WASM_CC" = clang-19 ] || die "'$WASM_CC' cannot build wasm32-wasi programs (sysroot $WASM_SYSROOT)"
    missing+=(clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32)
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 ||
            { DEBIAN_FRONTEND=noninteractive apt-get update >&2 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; } ||
            die "apt-get install ${missing[*]} failed"
    else
        die "missing tools; as root run: apt-get install -y ${missing[*]}"
    fi
fi

# ---- CoreMark source at the pinned commit ----------------------------------
mkdir -p "$cache" || die "cannot create cache directory '$cache'"
cache=$(cd "$cache" && pwd)
if [ -n "${COREMARK_SRC:-}" ]; then
    src=$(cd "$COREMARK_SRC" 2>/dev/null && pwd) || die "COREMARK_SRC='$COREMARK_SRC' is not a directory"
    if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
        head=$(git -C "$src" rev-parse HEAD)
        [ "$head" = "$COREMARK_COMMIT" ] ||
            die "COREMARK_SRC is at commit $head, not the pinned $COREMARK_COMMIT" \
                "(git -C '$src' checkout $COREMARK_COMMIT)"
    else
        say "COREMARK_SRC is no git checkout: checking its files only"
    fi
else
    src="$cache/src"
    if [ ! -d "$src/.git" ]; then
        say "cloning $COREMARK_REPO into $src"
        rm -rf "$src"
        git clone --quiet "$COREMARK_REPO" "$src" >&2 || die "git clone $COREMARK_REPO failed"
    fi
    if [ "$(git -C "$src" rev-parse HEAD)" != "$COREMARK_COMMIT" ]; then
        git -C "$src" cat-file -e "$COREMARK_COMMIT^{commit}" 2>/dev/null ||
            git -C "$src" fetch --quiet origin >&2 || die "git fetch in $src failed"
        git -C "$src" -c advice.detachedHead=false checkout --quiet --detach "$COREMARK_COMMIT" >&2 ||
            die "cannot check out $COREMARK_COMMIT in $src"
    fi
fi
(cd "$src" && sha256sum --quiet -c - <<<"$COREMARK_SHA256" >&2) ||
    die "CoreMark files in '$src' differ from commit $COREMARK_COMMIT (sha256 above)"
# CoreMark's own check that its benchmark files are unmodified
if [ -f "$src/coremark.md5" ]; then
    (cd "$src" && md5sum --quiet -c coremark.md5 >&2) || die "CoreMark's coremark.md5 check failed in '$src'"
fi

# ---- build -------------------------------------------------------------------
build="$cache/build"
mkdir -p "$build"
srcs=()
for f in "${COREMARK_FILES[@]}"; do srcs+=("$src/$f"); done
defs=(-I"$src/posix" -I"$src" -DPERFORMANCE_RUN=1)
# rebuild when the compiler, its flags or this script changed
build_one() { # OUT STAMP-TEXT COMPILER-AND-FLAGS...
    local out=$1 want=$2; shift 2
    if [ ! -x "$out" ] || [ "$(cat "$out.stamp" 2>/dev/null)" != "$want" ] ||
       [ "${BASH_SOURCE[0]}" -nt "$out" ]; then
        say "building $(basename "$out")"
        "$@" -o "$out" || die "building $(basename "$out") failed"
        printf '%s\n' "$want" >"$out.stamp"
    fi
}
wasm="$build/coremark.wasm"
wasm_flags="--target=wasm32-wasi $WASM_CFLAGS"
build_one "$wasm" "$COREMARK_COMMIT $("$WASM_CC" --version | head -1) $WASM_SYSROOT $wasm_flags" \
    "$WASM_CC" --target=wasm32-wasi --sysroot="$WASM_SYSROOT" $WASM_CFLAGS "${defs[@]}" \
    -DFLAGS_STR="\"$wasm_flags\"" "${srcs[@]}"
native="$build/coremark.native"
if [ $use_native = 1 ]; then
    build_one "$native" "$COREMARK_COMMIT $("$NATIVE_CC" --version | head -1) $NATIVE_CFLAGS" \
        "$NATIVE_CC" $NATIVE_CFLAGS "${defs[@]}" -DFLAGS_STR="\"$NATIVE_CFLAGS\"" "${srcs[@]}"
fi

# ---- runs --------------------------------------------------------------------
# check_run LABEL OUTFILE STATUS CMD-STRING -> prints "score seconds valid10s"
check_run() {
    local label=$1 out=$2 rc=$3 cmd=$4
    local why=""
    if [ "$rc" -ne 0 ]; then why="exit status $rc"
    elif ! grep -qx "seedcrc          : $SEED_CRC" "$out"; then why="seedcrc is not $SEED_CRC"
    elif ! grep -qx "\[0\]crclist       : $LIST_CRC" "$out"; then why="crclist is not $LIST_CRC"
    elif ! grep -qx "\[0\]crcmatrix     : $MATRIX_CRC" "$out"; then why="crcmatrix is not $MATRIX_CRC"
    elif ! grep -qx "\[0\]crcstate      : $STATE_CRC" "$out"; then why="crcstate is not $STATE_CRC"
    elif grep -v 'Must execute for at least 10 secs' "$out" | grep -q 'ERROR'; then why="CoreMark reports an error"
    elif ! grep -q '^Iterations/Sec *: ' "$out"; then why="no Iterations/Sec line"
    fi
    if [ -n "$why" ]; then
        {
            printf '\ncoremark: FAILED under %s: %s\n' "$label" "$why"
            printf 'coremark: command: %s\n' "$cmd"
            printf -- '--- output ---\n'; cat "$out"
            printf -- '--------------\n'
        } >&2
        exit 1
    fi
    local score secs ok=short
    score=$(sed -n 's/^Iterations\/Sec *: *//p' "$out")
    secs=$(sed -n 's/^Total time (secs): *//p' "$out")
    grep -q '^Correct operation validated' "$out" && ok=yes
    echo "$score $secs $ok"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The runtimes, registered by add_runtime LABEL CMD... (the CoreMark
# arguments are appended); the runs go in rounds, each round running every
# runtime once in turn, so that a change of the machine's speed hits all of
# them alike.
labels=() cmds=() s_all=() t_all=() short=()
add_runtime() {
    labels+=("$1"); shift
    cmds+=("$(printf '%q ' "$@")"); s_all+=(""); t_all+=(""); short+=(0)
}
run_rounds() {
    local i k n r a b c out="$work/out" rc
    for (( i = 1; i <= runs; i++ )); do
        for k in "${!labels[@]}"; do
            n=$iterations
            [ "${labels[$k]}" = native ] && n=$native_iterations
            [ -t 2 ] && printf '  round %d/%d: %-40s\r' "$i" "$runs" "${labels[$k]}" >&2
            rc=0
            eval "${cmds[$k]} 0 0 0x66 $n" >"$out" 2>&1 </dev/null || rc=$?
            r=$(check_run "${labels[$k]}" "$out" "$rc" "${cmds[$k]}0 0 0x66 $n") || exit 1
            read -r a b c <<<"$r"
            s_all[$k]+=" $a"; t_all[$k]+=" $b"
            [ "$c" = yes ] || short[$k]=1
        done
    done
    [ -t 2 ] && printf '%70s\r' '' >&2
    return 0
}

printf 'CoreMark %s (2K performance run, seeds 0 0 0x66), median of %d run(s)\n' \
    "${COREMARK_COMMIT:0:12}" "$runs"
printf '  wasm:   %s --target=wasm32-wasi %s (%s)\n' "$WASM_CC" "$WASM_CFLAGS" \
    "$("$WASM_CC" --version | head -1)"
[ $use_native = 1 ] && printf '  native: %s %s (%s), %d iterations\n' "$NATIVE_CC" "$NATIVE_CFLAGS" \
    "$("$NATIVE_CC" --version | head -1)" "$native_iterations"
[ $use_ebb = 1 ] && printf '  ebb:    %s run coremark.wasm 0 0 0x66 %d\n' "$ebb" "$iterations"
for p in "${peers[@]}"; do printf '  peer:   %s coremark.wasm 0 0 0x66 %d\n' "$p" "$iterations"; done
echo

[ $use_native = 0 ] || add_runtime native "$native"
[ $use_ebb = 0 ] || add_runtime ebb "$ebb" run "$wasm"
for p in "${peers[@]}"; do
    read -r -a pa <<<"$p"
    label="$(basename "${pa[0]}")"
    for w in "${pa[@]:1}"; do label+=" $(basename "$w")"; done
    add_runtime "$label" "${pa[@]}" "$wasm"
done
run_rounds

scores=() times=() spreads=() valid=()
for k in "${!labels[@]}"; do
    # shellcheck disable=SC2086 # the lists are numbers split by spaces
    scores+=("$(median ${s_all[$k]})"); times+=("$(median ${t_all[$k]})")
    spreads+=("$(printf '%s\n' ${s_all[$k]} | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 }
        END { printf "%.0f-%.0f", lo, hi }')")
    if [ "${short[$k]}" = 1 ]; then valid+=(no); else valid+=(yes); fi
done

ebb_score="" ebb_k=""
for i in "${!labels[@]}"; do [ "${labels[$i]}" != ebb ] || { ebb_score=${scores[$i]}; ebb_k=$i; }; done
# ebb's score over runtime K's: the median of the two scores' ratios round by
# round (each round ran both within a few seconds of each other)
paired_ratio() {
    # shellcheck disable=SC2086
    paste -d' ' <(printf '%s\n' ${s_all[$ebb_k]}) <(printf '%s\n' ${s_all[$1]}) |
        awk '{ print $1 / $2 }' | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) x = v[(NR + 1) / 2]; else x = (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf " %9.3fx", x }'
}
w=7; for l in "${labels[@]}"; do [ ${#l} -gt $w ] && w=${#l}; done
hdr=$(printf "%-${w}s %14s %15s %10s %5s" runtime "Iterations/Sec" "(min-max)" "run time s" "10 s")
[ -n "$ebb_score" ] && hdr+=$(printf ' %10s' "ebb/this")
printf '%s\n%s\n' "$hdr" "$(printf '%s' "$hdr" | tr -c '\n' '-')"
for i in "${!labels[@]}"; do
    row=$(printf "%-${w}s %14.1f %15s %10.2f %5s" "${labels[$i]}" "${scores[$i]}" "(${spreads[$i]})" \
        "${times[$i]}" "${valid[$i]}")
    [ -z "$ebb_score" ] || row+=$(paired_ratio "$i")
    printf '%s\n' "$row"
done
echo
echo "all runs validated (CRCs of the 2K performance run)."
echo "ebb/this: ebb's score over this runtime's, the median of the ratios of the rounds"
echo "(above 1: ebb does more iterations per second)."
if [[ " ${valid[*]} " == *" no "* ]]; then
    echo "10 s: CoreMark's rules want runs of at least 10 s for a score to be reported; runs"
    echo "marked 'no' were shorter (use --iterations / --native-iterations for official runs)."
fi
