#!/usr/bin/env bash
# Installs the Debian packages ebb's build and tests need, when missing.
# Used by `make run` and `make test`; safe to run again.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have cmake || need+=(cmake)
have make || need+=(make)
have pkg-config || need+=(pkg-config)
have gcc || need+=(gcc)
have wat2wasm || need+=(wabt)
have clang-19 || need+=(clang-19)
have wasm-ld-19 || need+=(lld-19)
[ -f /usr/include/wasm32-wasi/stdio.h ] || need+=(wasi-libc)
ls /usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 ||
  ls /usr/lib/llvm-19/lib/clang/19/lib/wasm32-unknown-wasi/libclang_rt.builtins.a >/dev/null 2>&1 ||
  need+=(libclang-rt-19-dev-wasm32)
[ -f "/usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ] || need+=(libclang-rt-19-dev)

if ((${#need[@]} == 0)); then exit 0; fi

echo "ebb: installing missing packages: ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if have sudo; then sudo="sudo"; else
    echo "ebb: please install as root: apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
