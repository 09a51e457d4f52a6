#!/bin/sh
# exports.sh CC INCLUDE_DIR LIBEBB.so -- the shared library exports exactly
# the public API: every function ebb.h, wasm.h and ebb_wasm.h declare (found
# by preprocessing them: each declaration carries the default-visibility
# attribute), and nothing else -- no ebb__ internal, no helper. Its soname
# is libebb.so.MAJOR.
set -eu
cc=$1 inc=$2 lib=$3
tmp=${TMPDIR:-/tmp}/ebb-exports.$$
trap 'rm -f "$tmp".*' EXIT

printf '#include "ebb.h"\n#include "wasm.h"\n#include "ebb_wasm.h"\n' |
  "$cc" -E -P -I"$inc" -x c - | tr '\n' ' ' | tr ';{}' '\n\n\n' |
  grep 'visibility("default")' |
  sed 's/__attribute__ *(([^)]*)))//' |
  grep -oE '(wasm|ebb)_[a-z0-9_]+ *\(' | sed 's/ *($//' | sort -u > "$tmp.declared"

nm -D --defined-only "$lib" | awk '$2 ~ /^[TWDBR]$/ {print $3}' |
  grep -vE '^(_init|_fini|_edata|_end|__bss_start)$' | sort -u > "$tmp.exported"

status=0
missing=$(comm -23 "$tmp.declared" "$tmp.exported")
extra=$(comm -13 "$tmp.declared" "$tmp.exported")
if [ -n "$missing" ]; then echo "declared but not exported:"; echo "$missing"; status=1; fi
if [ -n "$extra" ]; then echo "exported but not declared:"; echo "$extra"; status=1; fi
n=$(wc -l < "$tmp.declared")
[ "$n" -gt 350 ] || { echo "only $n public functions found: the header scan is broken"; status=1; }
for f in wasm_func_call wasm_module_share ebb_capi_store_interrupt ebb_call ebb_extern_describe; do
  grep -qx "$f" "$tmp.exported" || { echo "$f is not exported"; status=1; }
done
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
case "$soname" in
  libebb.so.[0-9]*) ;;
  *) echo "soname is '$soname', not libebb.so.MAJOR"; status=1 ;;
esac
[ $status -eq 0 ] && echo "$n public functions exported, nothing else; soname $soname"
exit $status
