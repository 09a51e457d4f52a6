#!/bin/sh
# install.sh BUILD_DIR SOURCE_DIR CC -- install ebb into a temporary prefix
# inside the build directory and build embedders against the install only:
#   1. cmake --install --prefix: the headers, libraries (soname), ebb, the
#      pkg-config file and the CMake package are where they belong;
#   2. the hello example built with pkg-config against the shared library,
#      and again statically (pkg-config --static), each run;
#   3. every C API example built with find_package(ebb) and ebb::ebb, each
#      run and its output compared with tests/capi/expected;
#   4. an install staged with DESTDIR (as packagers do) whose pkg-config
#      file points into the staged tree.
# A sanitizer build's install carries the sanitizer flag to the linker.
set -eu
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) cc=$3
wasm=$build/wasm
expected=$src/tests/capi/expected
work=$build/capi-install
prefix=$work/prefix
rm -rf "$work"
mkdir -p "$work"
fail() { echo "install test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$work/install.log"
for f in include/ebb.h include/wasm.h include/ebb_wasm.h bin/ebb; do
  [ -f "$prefix/$f" ] || fail "$f was not installed"
done
pc=$(find "$prefix" -name ebb.pc)
[ -n "$pc" ] || fail "no ebb.pc installed"
export PKG_CONFIG_PATH="$(dirname "$pc")"
libdir=$(cd "$(pkg-config --variable=libdir ebb)" && pwd)
[ "$libdir" = "$(cd "$(dirname "$pc")/.." && pwd)" ] || fail "libdir $libdir is not where ebb.pc is"
for f in libebb.a libebb.so; do [ -e "$libdir/$f" ] || fail "$f was not installed"; done
readelf -d "$libdir/libebb.so" | grep -q 'Library soname: \[libebb.so.0\]' || fail "no soname libebb.so.0"
[ -f "$libdir/cmake/ebb/ebbConfig.cmake" ] || fail "no CMake package"
"$prefix/bin/ebb" --version > /dev/null || fail "the installed ebb does not run"
echo "installed into $prefix"

# pkg-config: shared, then static.
cd "$work"
# shellcheck disable=SC2046
"$cc" -std=c11 -o hello-shared "$src/examples/capi/hello.c" $(pkg-config --cflags --libs ebb) \
  -Wl,-rpath,"$libdir"
ldd ./hello-shared | grep -q "libebb.so.0 => $libdir" || fail "hello-shared does not use the installed libebb.so.0"
./hello-shared "$wasm/capi_hello.wasm" | diff -u "$expected/hello.stdout" - || fail "hello (pkg-config, shared)"
# shellcheck disable=SC2046
"$cc" -std=c11 -o hello-static "$src/examples/capi/hello.c" $(pkg-config --cflags ebb) \
  "$libdir/libebb.a" $(pkg-config --static --libs ebb | sed 's/-lebb//')
if ldd ./hello-static 2>/dev/null | grep -q libebb; then fail "hello-static uses the shared library"; fi
./hello-static "$wasm/capi_hello.wasm" | diff -u "$expected/hello.stdout" - || fail "hello (pkg-config, static)"
echo "pkg-config: hello built and run, shared and static"

# find_package(ebb): every example.
cmake -S "$src/examples/capi" -B "$work/examples" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release > "$work/examples.log" 2>&1 ||
  { cat "$work/examples.log"; fail "configuring the examples with find_package(ebb)"; }
cmake --build "$work/examples" -j 2 >> "$work/examples.log" 2>&1 ||
  { cat "$work/examples.log"; fail "building the examples"; }
n=0
for exe in "$work"/examples/capi_*; do
  ex=${exe##*/capi_}
  ldd "$exe" | grep -q "libebb.so.0 => $libdir" || fail "capi_$ex does not use the installed libebb.so.0"
  "$exe" "$wasm/capi_$ex.wasm" > "$work/$ex.stdout" || fail "capi_$ex failed"
  diff -u "$expected/$ex.stdout" "$work/$ex.stdout" || fail "capi_$ex printed something else"
  n=$((n + 1))
done
[ "$n" -ge 13 ] || fail "only $n examples were built"
echo "find_package(ebb): $n examples built against ebb::ebb and run"

# DESTDIR staging: the files land under the stage, and ebb.pc finds them there.
DESTDIR="$work/stage" cmake --install "$build" --prefix /opt/ebb > /dev/null
staged=$(find "$work/stage/opt/ebb" -name ebb.pc)
[ -n "$staged" ] || fail "nothing staged under DESTDIR"
inc=$(PKG_CONFIG_PATH=$(dirname "$staged") pkg-config --cflags ebb | sed 's/^-I//; s/ *$//')
[ -f "$inc/wasm.h" ] || fail "the staged ebb.pc points to $inc, which has no wasm.h"
echo "DESTDIR: staged under $work/stage/opt/ebb"
