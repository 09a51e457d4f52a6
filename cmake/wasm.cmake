# wasm.cmake -- build WebAssembly guest programs as part of `all`.
#
#   include(${CMAKE_CURRENT_LIST_DIR}/../cmake/wasm.cmake)   # from examples/
#   ebb_wasm_from_c(NAME SRC [EXTRA_FLAGS...])     # C -> wasm32-wasi command module
#   ebb_wasm_from_wat(NAME SRC [WAT2WASM_FLAGS...]) # text format -> binary
#
# Both produce ${CMAKE_BINARY_DIR}/wasm/NAME.wasm and a target `wasm_NAME`
# built by `all`. Configuring fails with the Debian package to install when a
# tool is missing (the top-level Makefile installs them all).
#
# Cache variables: EBB_WASM_CC (clang with the wasm32 backend), EBB_WAT2WASM,
# EBB_WASM_SYSROOT (wasi-libc; /usr on Debian, where it lives under
# /usr/include/wasm32-wasi and /usr/lib/wasm32-wasi).

# Included from several directories: the checks run once (cached), the
# variables are set again in each including scope.

# Depfile paths are absolute here; take the new behaviour and skip the
# warning. Functions below keep the policy settings of their definition.
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

find_program(EBB_WASM_CC NAMES clang-19 DOC "clang able to target wasm32-wasi")
find_program(EBB_WAT2WASM NAMES wat2wasm DOC "wat2wasm from wabt")
set(EBB_WASM_SYSROOT "/usr" CACHE PATH "wasi-libc sysroot for wasm32-wasi")
set(EBB_WASM_CFLAGS "--target=wasm32-wasi;--sysroot=${EBB_WASM_SYSROOT};-O2"
    CACHE STRING "flags for C guest programs (a ;-list)")

if(NOT EBB_WAT2WASM OR NOT EXISTS "${EBB_WAT2WASM}")
  message(FATAL_ERROR
    "wat2wasm not found: the WebAssembly test programs need it.\n"
    "Install it with:  sudo apt-get install wabt\n"
    "(or pass -DEBB_WAT2WASM=/path/to/wat2wasm)")
endif()
if(NOT EBB_WASM_CC OR NOT EXISTS "${EBB_WASM_CC}")
  message(FATAL_ERROR
    "clang-19 not found: the C guest programs are compiled with it.\n"
    "Install it with:  sudo apt-get install clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32\n"
    "(or pass -DEBB_WASM_CC=/path/to/clang)")
endif()

# The rest of the toolchain cannot be found with find_program: check that the
# pieces a link needs are there, once, so a missing package is named at
# configure time rather than as an obscure link error.
if(NOT DEFINED EBB_WASM_TOOLCHAIN_OK)
  get_filename_component(_ebb_cc_dir "${EBB_WASM_CC}" DIRECTORY)
  find_program(EBB_WASM_LD NAMES wasm-ld-19 wasm-ld HINTS "${_ebb_cc_dir}"
               DOC "wasm-ld from lld")
  if(NOT EBB_WASM_LD)
    message(FATAL_ERROR
      "wasm-ld not found: clang-19 links wasm32 programs with it.\n"
      "Install it with:  sudo apt-get install lld-19")
  endif()
  if(NOT EXISTS "${EBB_WASM_SYSROOT}/include/wasm32-wasi/stdio.h")
    message(FATAL_ERROR
      "wasi-libc not found under ${EBB_WASM_SYSROOT} (no include/wasm32-wasi/stdio.h).\n"
      "Install it with:  sudo apt-get install wasi-libc\n"
      "(or pass -DEBB_WASM_SYSROOT=/path/to/wasi-sysroot)")
  endif()
  # The compiler runtime (libclang_rt.builtins-wasm32.a): try a real link.
  set(_ebb_probe_dir "${CMAKE_BINARY_DIR}/CMakeFiles/ebb_wasm_probe")
  file(MAKE_DIRECTORY "${_ebb_probe_dir}")
  file(WRITE "${_ebb_probe_dir}/probe.c"
    "#include <stdio.h>\nint main(void) { long double x = 1.5L; printf(\"%d\\n\", (int)(x * 2)); return 0; }\n")
  execute_process(
    COMMAND "${EBB_WASM_CC}" ${EBB_WASM_CFLAGS} probe.c -o probe.wasm
    WORKING_DIRECTORY "${_ebb_probe_dir}"
    RESULT_VARIABLE _ebb_probe_rc OUTPUT_VARIABLE _ebb_probe_out ERROR_VARIABLE _ebb_probe_out)
  if(NOT _ebb_probe_rc EQUAL 0)
    set(_ebb_hint "sudo apt-get install clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32")
    if(_ebb_probe_out MATCHES "libclang_rt|clang_rt\\.builtins")
      set(_ebb_hint "sudo apt-get install libclang-rt-19-dev-wasm32")
    endif()
    message(FATAL_ERROR
      "${EBB_WASM_CC} cannot build a wasm32-wasi program:\n${_ebb_probe_out}\n"
      "Install the missing piece with:  ${_ebb_hint}")
  endif()
  set(EBB_WASM_TOOLCHAIN_OK TRUE CACHE INTERNAL "the wasm32-wasi toolchain links")
  message(STATUS "wasm32-wasi toolchain: ${EBB_WASM_CC}, ${EBB_WAT2WASM}")
endif()

set(EBB_WASM_DIR "${CMAKE_BINARY_DIR}/wasm")
file(MAKE_DIRECTORY "${EBB_WASM_DIR}")

# ebb_wasm_from_c(NAME SRC [EXTRA_FLAGS...])
function(ebb_wasm_from_c name src)
  get_filename_component(src "${src}" ABSOLUTE)
  set(out "${EBB_WASM_DIR}/${name}.wasm")
  # Rebuild when an included header changes (DEPFILE works with every
  # generator from CMake 3.20; older ones only track SRC itself).
  set(depargs)
  set(depflags)
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.20)
    set(depargs DEPFILE "${EBB_WASM_DIR}/${name}.d")
    set(depflags -MD -MF "${EBB_WASM_DIR}/${name}.d")
  endif()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${EBB_WASM_CC}" ${EBB_WASM_CFLAGS} ${ARGN} ${depflags} -o "${out}" "${src}"
    DEPENDS "${src}"
    ${depargs}
    COMMENT "Building wasm32-wasi ${name}.wasm"
    VERBATIM)
  add_custom_target(wasm_${name} ALL DEPENDS "${out}")
endfunction()

# ebb_wasm_from_wat(NAME SRC [WAT2WASM_FLAGS...])
function(ebb_wasm_from_wat name src)
  get_filename_component(src "${src}" ABSOLUTE)
  set(out "${EBB_WASM_DIR}/${name}.wasm")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${EBB_WAT2WASM}" ${ARGN} -o "${out}" "${src}"
    DEPENDS "${src}"
    COMMENT "Assembling ${name}.wasm"
    VERBATIM)
  add_custom_target(wasm_${name} ALL DEPENDS "${out}")
endfunction()

# node >= 20 with node:wasi, for the differential runs of tests/wasm and
# tests/wasi: EBB_NODE_OK is TRUE when it is there.
find_program(EBB_NODE NAMES node nodejs DOC "node >= 20, for the differential run")
set(EBB_NODE_OK FALSE)
if(EBB_NODE)
  execute_process(COMMAND ${EBB_NODE} --version OUTPUT_VARIABLE _ebb_node_version
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _ebb_node_rc)
  if(_ebb_node_rc EQUAL 0 AND _ebb_node_version MATCHES "^v([0-9]+)\\." AND CMAKE_MATCH_1 GREATER_EQUAL 20)
    set(EBB_NODE_OK TRUE)
  endif()
endif()
