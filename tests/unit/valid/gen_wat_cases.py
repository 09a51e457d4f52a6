#!/usr/bin/env python3
"""Regenerates wat_cases.h: python3 gen_wat_cases.py wat_cases.h (needs wabt's wat2wasm).

Each case: name, expected message substring ("ok" for a valid module), expected
code, the .wat text, and wat2wasm flags (--no-check lets invalid modules through)."""
import os, subprocess, sys, tempfile
# name, expect ("ok" or substring of the message), code, wat
cases = [
 ("multivalue", "ok", "0", r'''(module
  (type $pp (func (param i32 i64) (result i64 i32)))
  (func $swap (type $pp) (local.get 1) (local.get 0))
  (func (export "f") (param i32) (result i32)
    (i32.const 1) (i64.const 2)
    (block (type $pp) (call $swap) (br 0))
    (drop) (drop)
    (local.get 0)
    (loop $l (param i32) (result i32)
      (br_if $l (i32.const 0)) )
    (drop)
    (block (result i32)
      (block (result i32)
        (br_table 0 1 1 (i32.const 7) (local.get 0))))
    (drop)
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))''', []),
 ("unreachable_poly", "ok", "0", r'''(module
  (func (result i32) (unreachable) (i32.add) )
  (func (result i64) (block (result i64) (br 0 (i64.const 1)) (i32.const 0) (select)))
  (func (result f32) (unreachable) (select))
  (func (result i32) (return (i32.const 1)) (br_table 0 0)))''', []),
 ("reftypes", "ok", "0", r'''(module
  (table $t 2 funcref) (table $e 1 10 externref)
  (elem declare func $g)
  (func $g)
  (func (param externref) (result funcref)
    (table.set $t (i32.const 0) (ref.func $g))
    (drop (table.grow $e (local.get 0) (i32.const 1)))
    (table.fill $e (i32.const 0) (ref.null extern) (i32.const 1))
    (drop (table.size $e))
    (drop (ref.is_null (local.get 0)))
    (drop (select (result externref) (local.get 0) (ref.null extern) (i32.const 1)))
    (call_indirect $t (i32.const 0))
    (table.get $t (i32.const 1))))''', []),
 ("bulk", "ok", "0", r'''(module (memory 1) (table 1 funcref) (func $f)
  (data $d "hi") (elem $e func $f)
  (func
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 2)) (data.drop $d)
    (memory.copy (i32.const 0) (i32.const 1) (i32.const 1))
    (memory.fill (i32.const 0) (i32.const 1) (i32.const 1))
    (table.init $e (i32.const 0) (i32.const 0) (i32.const 1)) (elem.drop $e)
    (table.copy (i32.const 0) (i32.const 0) (i32.const 1))))''', []),
 ("atomics", "ok", "0", r'''(module (memory 1 1 shared)
  (func (param i32) (result i32)
    (drop (memory.atomic.wait32 (local.get 0) (i32.const 0) (i64.const -1)))
    (drop (i64.atomic.rmw.cmpxchg (local.get 0) (i64.const 0) (i64.const 1)))
    (atomic.fence)
    (memory.atomic.notify (local.get 0) (i32.const 1))))''', ["--enable-threads"]),
 ("atomics_unshared", "ok", "0", r'''(module (memory 1)
  (func (param i32) (result i32) (i32.atomic.load (local.get 0))))''', ["--enable-threads"]),
 ("const_exprs", "ok", "0", r'''(module
  (import "m" "g" (global $g i32))
  (import "m" "r" (global $r funcref))
  (global $a i32 (global.get $g))
  (global $f funcref (ref.func $h))
  (global (mut i64) (i64.const 5))
  (table 2 funcref) (memory 1)
  (elem (global.get $g) funcref (ref.func $h) (ref.null func))
  (data (global.get $g) "x")
  (func $h (drop (ref.func $h))))''', []),
 ("add_mismatch", "type mismatch in i32.add", "EBB_EINVALID", r'''(module (func (result i32) (i32.add (i32.const 1) (i64.const 2))))''', ["--no-check"]),
 ("underflow", "type mismatch", "EBB_EINVALID", r'''(module (func (result i32) (i32.eqz)))''', ["--no-check"]),
 ("leftover", "type mismatch", "EBB_EINVALID", r'''(module (func (i32.const 1)))''', ["--no-check"]),
 ("if_no_else", "type mismatch", "EBB_EINVALID", r'''(module (func (result i32) (if (result i32) (i32.const 0) (then (i32.const 1)))))''', ["--no-check"]),
 ("unknown_local", "unknown local 3 in local.get", "EBB_EINVALID", r'''(module (func (param i32) (local i64) (drop (local.get 3))))''', ["--no-check"]),
 ("unknown_func", "unknown function 5 in call", "EBB_EINVALID", r'''(module (func (call 5)))''', ["--no-check"]),
 ("unknown_label", "unknown label 2 in br", "EBB_EINVALID", r'''(module (func (block (br 2))))''', ["--no-check"]),
 ("immutable", "global is immutable", "EBB_EINVALID", r'''(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))''', ["--no-check"]),
 ("undeclared", "undeclared function reference", "EBB_EINVALID", r'''(module (func $f (drop (ref.func $f))))''', ["--no-check"]),
 ("select_ref", "type mismatch", "EBB_EINVALID", r'''(module (func (param funcref) (drop (select (local.get 0) (local.get 0) (i32.const 1)))))''', ["--no-check"]),
 ("br_table_arity", "type mismatch", "EBB_EINVALID", r'''(module (func (result i32) (block (result i32) (block (br_table 0 1 (i32.const 1) (i32.const 0)))) ))''', ["--no-check"]),
 ("atomic_align", "alignment must be equal to natural", "EBB_EINVALID", r'''(module (memory 1 1 shared) (func (drop (i32.atomic.load align=2 (i32.const 0)))))''', ["--enable-threads", "--no-check"]),
 ("align", "alignment must not be larger than natural", "EBB_EINVALID", r'''(module (memory 1) (func (drop (i32.load16_u align=4 (i32.const 0)))))''', ["--no-check"]),
 ("no_memory", "unknown memory 0 in i32.load", "EBB_EINVALID", r'''(module (func (drop (i32.load (i32.const 0)))))''', ["--no-check"]),
 ("shared_nomax", "shared memory must have maximum", "EBB_EINVALID", r'''(module (memory 1 shared))''', ["--enable-threads", "--no-check"]),
 ("two_mems", "multiple memories", "EBB_EINVALID", r'''(module (import "a" "b" (memory 1)) (memory 1))''', ["--enable-multi-memory", "--no-check"]),
 ("mem_big", "memory size must be at most 65536 pages (4GiB)", "EBB_EINVALID", r'''(module (memory 65537))''', ["--no-check"]),
 ("table_minmax", "size minimum must not be greater than maximum", "EBB_EINVALID", r'''(module (table 2 1 funcref))''', ["--no-check"]),
 ("start_type", "start function", "EBB_EINVALID", r'''(module (func $s (param i32)) (start $s))''', ["--no-check"]),
 ("dup_export", "duplicate export name", "EBB_EINVALID", r'''(module (func $f) (export "a" (func $f)) (export "b" (func $f)) (export "a" (func $f)))''', ["--no-check"]),
 ("const_mut", "constant expression required", "EBB_EINVALID", r'''(module (import "m" "g" (global (mut i32))) (global i32 (global.get 0)))''', ["--no-check"]),
 ("const_add", "constant expression required", "EBB_EINVALID", r'''(module (global i32 (i32.add (i32.const 1) (i32.const 2))))''', ["--no-check"]),
 ("const_local_global", "unknown global 0", "EBB_EINVALID", r'''(module (global i32 (i32.const 0)) (memory 1) (data (global.get 0) "a"))''', ["--no-check"]),
 ("const_type", "type mismatch", "EBB_EINVALID", r'''(module (global i64 (i32.const 0)))''', ["--no-check"]),
 ("indirect_extern", "type mismatch in call_indirect", "EBB_EINVALID", r'''(module (table 1 externref) (func (call_indirect (i32.const 0))))''', ["--no-check"]),
 ("elem_table_type", "type mismatch", "EBB_EINVALID", r'''(module (table 1 externref) (func $f) (elem (i32.const 0) func $f))''', ["--no-check"]),
 ("unknown_data", "unknown data segment 1", "EBB_EINVALID", r'''(module (memory 1) (data "a") (func (data.drop 1)))''', ["--no-check"]),
 ("unknown_elem", "unknown elem segment 0", "EBB_EINVALID", r'''(module (func (elem.drop 0)))''', ["--no-check"]),
]
out = []
out.append("/* Generated by gen_wat_cases.py from the .wat texts shown (wat2wasm 1.0.32). */\n")
out.append("typedef struct wcase {\n  const char *name;\n  const unsigned char *bytes;\n  unsigned size;\n  int code;\n  const char *want; /* message substring, or NULL for valid */\n} wcase;\n\n")
entries = []
for name, expect, code, wat, flags in cases:
    with tempfile.TemporaryDirectory() as tmp:
        wat_path, wasm_path = os.path.join(tmp, "m.wat"), os.path.join(tmp, "m.wasm")
        open(wat_path, "w").write(wat)
        subprocess.run(["wat2wasm", *flags, wat_path, "-o", wasm_path], check=True)
        b = open(wasm_path, "rb").read()
    out.append("/*\n" + "\n".join("** " + l for l in wat.splitlines()) + "\n*/\n")
    out.append("static const unsigned char m_%s[] = {" % name)
    for i, x in enumerate(b):
        if i % 16 == 0: out.append("\n    ")
        out.append("0x%02x," % x)
    out.append("\n};\n\n")
    entries.append('    {"%s", m_%s, sizeof m_%s, %s, %s},\n' % (name, name, name, code,
        "NULL" if expect == "ok" else '"%s"' % expect))
out.append("static const wcase wcases[] = {\n" + "".join(entries) + "};\n")
open(sys.argv[1], "w").write("".join(out))
